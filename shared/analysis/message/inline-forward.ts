import { readHeaderSection, headerValue } from './header-section.ts';
import type { HeaderField } from './types.ts';
import type { ExtractionLimits } from './limits.ts';

/** A reported message found in the text of a body. */
export interface InlineMessage {
  /** gmail | outlook | apple | thunderbird | pasted-headers */
  style: string;
  headers: HeaderField[];
  raw: Buffer;
}

/** Marker lines that open an inline forward, compared lower-case with dashes and blanks trimmed. */
const MARKERS: [string, string][] = [
  ['forwarded message', 'gmail'],
  ['original message', 'outlook'],
  ['begin forwarded message:', 'apple'],
  ['forwarded message follows', 'outlook'],
  ['weitergeleitete nachricht', 'gmail'],
  ['message transféré', 'gmail'],
];
/**
 * Field names an inline block may carry, and what they mean (`Sent:` is Outlook's Date). Outlook writes the
 * block in the user's language: a Brazilian user's "Fw:" of a phishing message reads "De: / Enviado: /
 * Para: / Assunto:" (seen in real phishing), and missing it made the reporter's own forward the reported
 * message. Portuguese, Spanish, French, German, Italian and Dutch, lower-case.
 */
const BLOCK_FIELDS: ReadonlyMap<string, string> = new Map([
  ...['from', 'de', 'von', 'da', 'van'].map((n): [string, string] => [n, 'from']),
  ...['to', 'para', 'à', 'a', 'an', 'aan'].map((n): [string, string] => [n, 'to']),
  ...['cc'].map((n): [string, string] => [n, 'cc']),
  ...['date', 'sent', 'enviado', 'enviado el', 'envoyé', 'gesendet', 'inviato', 'verzonden', 'datum', 'fecha', 'data'].map((n): [string, string] => [n, 'date']),
  ...['subject', 'assunto', 'asunto', 'objet', 'betreff', 'oggetto', 'onderwerp'].map((n): [string, string] => [n, 'subject']),
  ...['reply-to'].map((n): [string, string] => [n, 'reply-to']),
]);
/** Localized `From:` names that may open an Outlook block without a marker line (French writes `De :`). */
const BLOCK_STARTS: ReadonlySet<string> = new Set(['from', 'de', 'von', 'da', 'van']);

function opensBlock(line: string): boolean {
  const head = line.slice(0, 12);
  const colon = head.indexOf(':');
  return colon > 0 && BLOCK_STARTS.has(head.slice(0, colon).replace(/^\*+/, '').trim().toLowerCase());
}
/** How many lines after a marker we look at for its fields. */
const BLOCK_LINES = 16;

function markerStyle(line: string): string | null {
  let s = line.trim();
  if (s.length > 80) return null;
  // Strip the dash / blank frame around "---------- Forwarded message ---------".
  let a = 0;
  let b = s.length;
  while (a < b && (s[a] === '-' || s[a] === ' ' || s[a] === '_')) a++;
  while (b > a && (s[b - 1] === '-' || s[b - 1] === ' ' || s[b - 1] === '_')) b--;
  s = s.slice(a, b).toLowerCase();
  for (const [m, style] of MARKERS) if (s === m) return style;
  return null;
}

/** `*From:* Name <a@b>` / `From: Name [mailto:a@b]` → ['from', 'Name <a@b>'], or null. */
function blockField(line: string): [string, string] | null {
  const s = line.trim().replace(/^\*+/, '');
  const colon = s.indexOf(':');
  if (colon <= 0 || colon > 20) return null;
  const canonical = BLOCK_FIELDS.get(s.slice(0, colon).replace(/\*+$/, '').trim().toLowerCase());
  if (canonical === undefined) return null;
  let value = s.slice(colon + 1).replace(/^\*+/, '').trim();
  const mailto = value.indexOf('[mailto:');
  if (mailto >= 0) {
    const close = value.indexOf(']', mailto);
    if (close > mailto) value = `${value.slice(0, mailto).trim()} <${value.slice(mailto + 8, close).trim()}>`.trim();
  }
  return [canonical, value];
}

/** Read the fields of a block starting at line `i`; returns them and the line after the block. */
function readBlock(lines: string[], i: number): { headers: HeaderField[]; next: number } {
  const headers: HeaderField[] = [];
  let k = i;
  const stop = Math.min(lines.length, i + BLOCK_LINES);
  while (k < stop && lines[k]!.trim() === '' && headers.length === 0) k++;
  for (; k < stop; k++) {
    const line = lines[k]!;
    if (line.trim() === '') break;
    const f = blockField(line);
    if (f) headers.push({ name: f[0], value: f[1] });
    else if (headers.length > 0 && (line.startsWith(' ') || line.startsWith('\t'))) {
      headers[headers.length - 1]!.value += ` ${line.trim()}`; // a wrapped To: list
    } else break;
  }
  return { headers, next: k };
}

/**
 * Find the reported message in a text body: a pasted header block (a run of header lines that starts
 * with `Received:` or `Return-Path:`) wins, since it carries the Received chain; otherwise the last
 * (innermost) Gmail / Outlook / Apple Mail forward block. Line-based scanning only; `text` is already
 * capped by the caller.
 */
export function findInlineMessage(text: string, limits: ExtractionLimits): InlineMessage | null {
  const normal = text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n');
  const lines = normal.split('\n');
  // One byte copy of the text; header blocks are read from zero-copy views of it at line offsets.
  const all = Buffer.from(normal, 'utf8');
  const ascii = all.length === normal.length;
  let byteAt = 0;
  // A failed pasted-block attempt read up to here; lines before it are not tried again, so a body of
  // many "Received:"-like lines costs one pass, not one pass per line.
  let triedUntil = 0;
  const blockRaw = (from: number, to: number): Buffer => Buffer.from(lines.slice(from, to).join('\n'), 'utf8');
  let best: InlineMessage | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineBytes = ascii ? line.length : Buffer.byteLength(line, 'utf8');
    const start = byteAt;
    byteAt += lineBytes + 1;
    const lower = line.slice(0, 12).toLowerCase();
    if ((lower.startsWith('received:') || lower.startsWith('return-path:')) && start >= triedUntil) {
      const view = all.subarray(start);
      const hs = readHeaderSection(view, limits);
      if (hs.headers.length >= 2 && hs.headers.some((h) => h.name === 'received')) {
        return { style: 'pasted-headers', headers: hs.headers, raw: view.subarray(0, hs.bodyStart) };
      }
      triedUntil = start + Math.max(hs.bodyStart, lineBytes + 1);
    }
    const style = markerStyle(line);
    if (style) {
      const block = readBlock(lines, i + 1);
      if (headerValue(block.headers, 'from') !== null || headerValue(block.headers, 'subject') !== null) {
        best = { style, headers: block.headers, raw: blockRaw(i, block.next) };
        byteAt += skippedBytes(lines, i + 1, block.next, ascii);
        i = Math.max(i, block.next - 1);
      }
    } else if (opensBlock(line)) {
      // Outlook without a marker line: "From: … / Sent: … / To: … / Subject: …", in the user's language.
      const block = readBlock(lines, i);
      if (headerValue(block.headers, 'date') !== null && headerValue(block.headers, 'subject') !== null && block.headers.length >= 3) {
        best = { style: 'outlook', headers: block.headers, raw: blockRaw(i, block.next) };
        byteAt += skippedBytes(lines, i + 1, block.next, ascii);
        i = Math.max(i, block.next - 1);
      }
    }
  }
  return best;
}

/** Bytes (with their LFs) of lines [from, to), skipped over by the caller's loop. */
function skippedBytes(lines: string[], from: number, to: number, ascii: boolean): number {
  let n = 0;
  for (let k = from; k < to; k++) n += (ascii ? lines[k]!.length : Buffer.byteLength(lines[k]!, 'utf8')) + 1;
  return n;
}
