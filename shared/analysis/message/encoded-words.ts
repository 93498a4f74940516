import { decodeQuotedPrintable } from './transfer-encoding.ts';
import { decodeCharset } from './content-type.ts';

/** Longest encoded word we decode; RFC 2047 says 75 characters, real mail is sloppier. */
const MAX_WORD = 2000;

/**
 * Decode RFC 2047 encoded words (`=?charset?B|Q?text?=`) in a header value such as Subject or From.
 * Blanks between two adjacent encoded words are dropped, as the RFC says. A scanner with indexOf,
 * not a regex, so a hostile value cannot make it backtrack. Never throws.
 */
export function decodeEncodedWords(value: string): string {
  if (value.indexOf('=?') < 0) return value;
  let out = '';
  let pos = 0;
  let lastWasWord = false;
  while (pos < value.length) {
    const start = value.indexOf('=?', pos);
    if (start < 0) break;
    const q1 = value.indexOf('?', start + 2);
    const q2 = q1 < 0 ? -1 : value.indexOf('?', q1 + 1);
    const end = q2 < 0 ? -1 : value.indexOf('?=', q2 + 1);
    if (q1 < 0 || q2 !== q1 + 2 || end < 0 || end - start > MAX_WORD) {
      out += value.slice(pos, start + 2);
      pos = start + 2;
      lastWasWord = false;
      continue;
    }
    const between = value.slice(pos, start);
    if (!(lastWasWord && between.trim() === '')) out += between;
    const charset = value.slice(start + 2, q1).split('*')[0] ?? '';
    const mode = value[q1 + 1]!.toUpperCase();
    const text = value.slice(q2 + 1, end);
    let bytes: Buffer;
    if (mode === 'B') bytes = Buffer.from(text, 'base64');
    else if (mode === 'Q') bytes = decodeQuotedPrintable(Buffer.from(text.replace(/_/g, ' '), 'latin1'), true);
    else {
      out += value.slice(start, end + 2);
      pos = end + 2;
      lastWasWord = false;
      continue;
    }
    out += decodeCharset(bytes, charset);
    pos = end + 2;
    lastWasWord = true;
  }
  return out + value.slice(pos);
}
