import { readHeaderSection, headerValue } from './header-section.ts';
import { walkMime, type MimePart, type WalkBudget } from './mime-tree.ts';
import { decodeTransfer } from './transfer-encoding.ts';
import { decodeCharset } from './content-type.ts';
import { decodeEncodedWords } from './encoded-words.ts';
import type { HeaderField } from './types.ts';
import type { ExtractionLimits } from './limits.ts';

/** State of one extraction: limits and the shared part budget / truncation log. */
export interface ExtractContext {
  limits: ExtractionLimits;
  budget: WalkBudget;
}

/** One message (the submission or an attached one), split into header fields and its MIME parts. */
export interface ReadMessage {
  raw: Buffer;
  headers: HeaderField[];
  bodyStart: number;
  /** parts[0] is the message itself; message/rfc822 parts are listed but not entered. */
  parts: MimePart[];
  depth: number;
  subject: string | null;
  from: string | null;
}

/** Split `raw` into headers and MIME parts; `depth` is its nesting level in the submission. */
export function readMessage(raw: Buffer, depth: number, ctx: ExtractContext, label: string): ReadMessage {
  const hs = readHeaderSection(raw, ctx.limits);
  for (const t of hs.truncated) ctx.budget.truncated.push(`${label}: ${t}`);
  const parts = walkMime(raw, hs.headers, hs.bodyStart, depth, ctx.limits, ctx.budget);
  const subject = headerValue(hs.headers, 'subject');
  const from = headerValue(hs.headers, 'from');
  return {
    raw,
    headers: hs.headers,
    bodyStart: hs.bodyStart,
    parts,
    depth,
    subject: subject === null ? null : decodeEncodedWords(subject),
    from: from === null ? null : decodeEncodedWords(from),
  };
}

/** A part's body, transfer-decoded, at most `cap` encoded bytes read (base64 keeps a 4-byte grid). */
export function partBytes(part: MimePart, cap: number): Buffer {
  const body = part.body.length > cap ? part.body.subarray(0, cap - (cap % 4)) : part.body;
  return decodeTransfer(body, part.encoding);
}

/** A text part as a string (charset decoded, invalid charsets tolerated), capped at `cap` bytes. */
export function partText(part: MimePart, cap: number): string {
  return decodeCharset(partBytes(part, cap), part.params.charset);
}

/** An attached message's bytes: message/rfc822 is normally 7bit/8bit, but some MUAs wrap it in base64 or QP. */
export function attachedMessageBytes(part: MimePart): Buffer {
  return decodeTransfer(part.body, part.encoding);
}

/** Does the part carry a whole message (message/rfc822, message/global, or an attached `.eml` file)? */
export function isMessagePart(part: MimePart): boolean {
  if (part.contentType === 'message/rfc822' || part.contentType === 'message/global') return true;
  const name = (part.dispositionParams.filename ?? part.params.name ?? '').toLowerCase();
  return name.endsWith('.eml') && (part.contentType === 'application/octet-stream' || part.contentType === 'text/plain');
}

/**
 * Is this part shown as the message's body (no Content-Disposition, or `inline`)? A `name=` on the
 * Content-Type alone does not make a text part an attachment: mail clients (and mailparser) show it.
 */
export function isBodyPart(part: MimePart): boolean {
  return part.disposition === '' || part.disposition === 'inline';
}

/** The first text/plain body part of a message (see isBodyPart), or null. */
export function firstTextPart(msg: ReadMessage): MimePart | null {
  for (const p of msg.parts) if (p.contentType === 'text/plain' && isBodyPart(p)) return p;
  return null;
}

/** Subject prefixes that mark a forward (English, German, French, Spanish, Dutch, Nordic, …). */
const FORWARD_PREFIXES = ['fwd:', 'fw:', 'wg:', 'tr:', 'rv:', 'enc:', 'doorst:', 'vs:', 'vb:', 'i:', 'pd:', 'fwd ', '[fwd:'];

export function hasForwardPrefix(subject: string | null): boolean {
  const s = (subject ?? '').trim().toLowerCase();
  return FORWARD_PREFIXES.some((p) => s.startsWith(p));
}
