import { resolveLimits, type ExtractionLimits } from './limits.ts';
import { firstTextPart, partText, readMessage, type ExtractContext } from './message-reader.ts';
import { decodeFlowed } from './flowed-text.ts';
import type { MimePart } from './mime-tree.ts';

/**
 * The decoded text of a message's body: what a mail client would show as its text. For the analysis core
 * and its callers (content features of campaigns, the analyst view); pure, bounded, never throws.
 */

/** Encoded bytes of a body part read by default (base64 is cut on its 4-byte grid). */
export const DEFAULT_BODY_TEXT_BYTES = 256 * 1024;

/**
 * A text part as text: transfer decoding, charset, line ends as LF, and `format=flowed` (RFC 3676) undone.
 * At most `cap` encoded bytes are read.
 */
export function bodyText(part: MimePart, cap: number = DEFAULT_BODY_TEXT_BYTES): string {
  const text = partText(part, cap).replace(/\r\n/g, '\n');
  if (part.contentType !== 'text/plain' || (part.params.format ?? '').trim().toLowerCase() !== 'flowed') return text;
  return decodeFlowed(text, (part.params.delsp ?? '').trim().toLowerCase() === 'yes');
}

/**
 * The decoded text of the first text/plain body part of the message in `raw` (one not marked as an
 * attachment, in document order, attached messages not entered), or null when it has none (HTML only, say).
 */
export function firstBodyText(raw: Buffer, opts: { maxBytes?: number; limits?: Partial<ExtractionLimits> } = {}): string | null {
  const ctx: ExtractContext = { limits: resolveLimits(opts.limits), budget: { parts: 0, truncated: [] } };
  const part = firstTextPart(readMessage(raw, 0, ctx, 'message'));
  return part ? bodyText(part, opts.maxBytes ?? DEFAULT_BODY_TEXT_BYTES) : null;
}
