import { isUtf8 } from 'node:buffer';
import type { HeaderField } from './types.ts';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;
/** A field name longer than this is not a field name (it is body text that happens to contain a colon). */
const MAX_NAME = 96;
const MBOX_FROM = Buffer.from('From ');
/** An mbox envelope line escaped once more (`>From `), as some FBLs paste the original in. */
const MBOX_QUOTED_FROM = Buffer.from('>From ');
/**
 * Fields still read past the byte and count limits (their first occurrence only): what classification and
 * the report need. Without this, 2,000 junk fields or 256 KiB of Received lines put in front would hide
 * a message's From, Subject and structure from the core while any mail client still shows them.
 */
const ESSENTIAL: ReadonlySet<string> = new Set([
  'from', 'sender', 'return-path', 'to', 'subject', 'date', 'message-id', 'in-reply-to', 'references',
  'mime-version', 'content-type', 'content-transfer-encoding', 'content-disposition',
  'auto-submitted', 'x-auto-response-suppress', 'precedence', 'x-autoreply', 'x-autorespond',
  'x-arf', 'x-xarf', 'dkim-signature',
]);
/** Characters of an essential field's value kept when it is read past the byte limit. */
const MAX_LATE_VALUE = 8192;

export interface HeaderSection {
  headers: HeaderField[];
  /** Offset in the input where the body starts (after the blank line), or the input length. */
  bodyStart: number;
  /** Limits hit while reading this section (human-readable, for the evidence trail). */
  truncated: string[];
}

export interface HeaderSectionLimits {
  headerBytes: number;
  headerFields: number;
}

function startsWith(buf: Buffer, pos: number, prefix: Buffer): boolean {
  return buf.length - pos >= prefix.length && buf.compare(prefix, 0, prefix.length, pos, pos + prefix.length) === 0;
}

/** Where a line ends: the LF offset, or the end of the input. */
function lineEnd(buf: Buffer, pos: number): number {
  const lf = buf.indexOf(LF, pos);
  return lf < 0 ? buf.length : lf;
}

/**
 * Length of a field name at `pos` (before the colon, trailing blanks tolerated), or -1 when the line is no
 * field. A name is printable ASCII by RFC 5322, but a damaged byte in it (8-bit or a control character, as
 * a bad line or a byte flip leaves) does not make it body text: ending the header section there would hide
 * every field below it, which mail clients (and mailparser) still show.
 */
function fieldNameEnd(buf: Buffer, pos: number, end: number): number {
  const stop = Math.min(end, pos + MAX_NAME);
  let nameEnd = -1;
  for (let i = pos; i < stop; i++) {
    const b = buf[i]!;
    if (b === COLON) return nameEnd < 0 ? (i > pos ? i : -1) : nameEnd;
    if (b === SP || b === HT) {
      // "Subject : x" is tolerated; "Dear customer: x" is not (a blank inside the name).
      if (nameEnd < 0) nameEnd = i;
      continue;
    }
    if (nameEnd >= 0 || b === 0 || b === CR || b === LF) return -1;
  }
  return -1;
}

/** Decode header bytes: UTF-8 when they are valid UTF-8 (ASCII included), else latin1 (never throws). */
export function decodeHeaderBytes(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}

/** Unfold (CRLF/LF followed by blanks → one space), drop stray CRs, trim. Linear: no backtracking pattern. */
function unfold(raw: string): string {
  return raw.replace(/\r?\n[ \t]+/g, ' ').replace(/[\r\n]/g, '').trim();
}

/**
 * Read the header section at the start of `buf`: accepts an mbox `From ` line (first, or below fields
 * a script put in front of it), LF or CRLF,
 * 8-bit bytes, no blank line (headers only). Stops at the first blank line, or at the first line
 * that is neither a field nor a continuation (that line starts the body). Never throws. Past
 * `headerBytes` or `headerFields` only the first of each ESSENTIAL field is kept (one linear pass).
 */
export function readHeaderSection(buf: Buffer, limits: HeaderSectionLimits, mode: 'message' | 'part' = 'message'): HeaderSection {
  const truncated: string[] = [];
  const headers: HeaderField[] = [];
  let pos = 0;
  if (mode === 'message') {
    // A UTF-8 byte order mark (files saved by Windows editors, web uploads) and leading blank lines
    // (pasted text, a generator's extra newline before an attached message) carry nothing.
    // Not for MIME part headers: there a leading blank line means "no part headers".
    if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    while (pos < buf.length && (buf[pos] === LF || buf[pos] === CR)) pos++;
    if (startsWith(buf, pos, MBOX_FROM) || startsWith(buf, pos, MBOX_QUOTED_FROM)) pos = lineEnd(buf, pos) + 1;
  }
  const cap = Math.min(buf.length, pos + limits.headerBytes);
  // The current field; `late`: it started past the byte limit.
  let cur: { nameStart: number; nameEnd: number; valueStart: number; valueEnd: number; late: boolean } | null = null;
  let dropped = 0;
  let late = false; // past the byte limit
  let kept: Set<string> | null = null; // names kept so far, built once a limit is reached
  const keepPastLimit = (name: string): boolean => {
    if (!ESSENTIAL.has(name)) return false;
    kept ??= new Set(headers.map((h) => h.name));
    if (kept.has(name)) return false;
    kept.add(name);
    return true;
  };
  const flush = (): void => {
    if (!cur) return;
    const name = buf.toString('latin1', cur.nameStart, cur.nameEnd).toLowerCase();
    if ((cur.late || headers.length >= limits.headerFields) && !keepPastLimit(name)) {
      if (!cur.late) dropped++;
    } else {
      headers.push({ name, value: unfold(decodeHeaderBytes(buf.subarray(cur.valueStart, cur.valueEnd))) });
    }
    cur = null;
  };
  const done = (bodyStart: number): HeaderSection => {
    flush();
    if (dropped > 0) truncated.push(`more than ${limits.headerFields} header fields: ${dropped} dropped`);
    return { headers, bodyStart, truncated };
  };
  while (pos < buf.length) {
    if (!late && pos >= cap) {
      // A field open at the limit stays cut there; fields that start past it are read only if essential.
      late = true;
      truncated.push(`header section longer than ${limits.headerBytes} bytes: past it only the first From, Subject, Date, Message-ID and MIME fields were read`);
    }
    const end = lineEnd(buf, pos);
    const contentEnd = end > pos && buf[end - 1] === CR ? end - 1 : end;
    // The blank line: the body starts after it.
    if (contentEnd === pos) return done(Math.min(buf.length, end + 1));
    const first = buf[pos]!;
    if ((first === SP || first === HT) && cur) {
      cur.valueEnd = Math.min(contentEnd, cur.late ? cur.valueStart + MAX_LATE_VALUE : cap);
    } else {
      const nameEnd = fieldNameEnd(buf, pos, contentEnd);
      if (nameEnd < 0 && cur && (startsWith(buf, pos, MBOX_FROM) || startsWith(buf, pos, MBOX_QUOTED_FROM))) {
        // An mbox envelope line below fields a delivery script put in front of it: skipped, as at the top.
        flush();
        pos = end + 1;
        continue;
      }
      // Not a field: the body starts here (or there is no header section at all).
      if (nameEnd < 0) return done(pos);
      flush();
      const colon = buf.indexOf(COLON, nameEnd);
      cur = { nameStart: pos, nameEnd, valueStart: colon + 1, valueEnd: Math.min(contentEnd, late ? colon + 1 + MAX_LATE_VALUE : cap), late };
    }
    pos = end + 1;
  }
  return done(buf.length);
}

/** First value of a header (names are lower-case). */
export function headerValue(headers: readonly HeaderField[], name: string): string | null {
  for (const h of headers) if (h.name === name) return h.value;
  return null;
}

/** Every value of a header, in order. */
export function headerValues(headers: readonly HeaderField[], name: string): string[] {
  const out: string[] = [];
  for (const h of headers) if (h.name === name) out.push(h.value);
  return out;
}
