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

/** Length of a field name at `pos` (before the colon, trailing blanks tolerated), or -1 when the line is no field. */
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
    if (nameEnd >= 0 || b < 33 || b > 126) return -1;
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
 * Read the header section at the start of `buf`: accepts an mbox `From ` first line, LF or CRLF,
 * 8-bit bytes, no blank line (headers only). Stops at the first blank line, or at the first line
 * that is neither a field nor a continuation (that line starts the body). Never throws.
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
  // The current field: [nameStart, nameEnd, valueStart, valueEnd].
  let cur: [number, number, number, number] | null = null;
  let dropped = 0;
  const flush = (): void => {
    if (!cur) return;
    if (headers.length >= limits.headerFields) {
      dropped++;
    } else {
      const name = buf.toString('latin1', cur[0], cur[1]).toLowerCase();
      headers.push({ name, value: unfold(decodeHeaderBytes(buf.subarray(cur[2], cur[3]))) });
    }
    cur = null;
  };
  while (pos < buf.length) {
    if (pos >= cap) {
      flush();
      truncated.push(`header section longer than ${limits.headerBytes} bytes: the rest was not read`);
      return { headers, bodyStart: skipToBody(buf, pos), truncated: addDropped(truncated, dropped, limits) };
    }
    const end = lineEnd(buf, pos);
    const contentEnd = end > pos && buf[end - 1] === CR ? end - 1 : end;
    if (contentEnd === pos) {
      // The blank line: the body starts after it.
      flush();
      return { headers, bodyStart: Math.min(buf.length, end + 1), truncated: addDropped(truncated, dropped, limits) };
    }
    const first = buf[pos]!;
    if ((first === SP || first === HT) && cur) {
      (cur as [number, number, number, number])[3] = Math.min(contentEnd, cap);
    } else {
      const nameEnd = fieldNameEnd(buf, pos, contentEnd);
      if (nameEnd < 0) {
        // Not a field: the body starts here (or there is no header section at all).
        flush();
        return { headers, bodyStart: pos, truncated: addDropped(truncated, dropped, limits) };
      }
      flush();
      const colon = buf.indexOf(COLON, nameEnd);
      cur = [pos, nameEnd, colon + 1, Math.min(contentEnd, cap)];
    }
    pos = end + 1;
  }
  flush();
  return { headers, bodyStart: buf.length, truncated: addDropped(truncated, dropped, limits) };
}

function addDropped(truncated: string[], dropped: number, limits: HeaderSectionLimits): string[] {
  if (dropped > 0) truncated.push(`more than ${limits.headerFields} header fields: ${dropped} dropped`);
  return truncated;
}

/** After a truncated header section, the body starts after the next blank line (native search, linear). */
function skipToBody(buf: Buffer, pos: number): number {
  const a = buf.indexOf('\n\n', pos, 'latin1');
  const b = buf.indexOf('\n\r\n', pos, 'latin1');
  if (a < 0 && b < 0) return buf.length;
  if (b < 0 || (a >= 0 && a < b)) return a + 2;
  return b + 3;
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
