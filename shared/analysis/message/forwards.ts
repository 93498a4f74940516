import { findInlineMessage } from './inline-forward.ts';
import { headerValue } from './header-section.ts';
import { htmlToText } from './html-text.ts';
import { isArf, extractArf, HEADER_PART_TYPES } from './report-parts.ts';
import { readHeaderSection } from './header-section.ts';
import {
  attachedMessageBytes,
  firstTextPart,
  hasForwardPrefix,
  isBodyPart,
  isMessagePart,
  partText,
  readMessage,
  type ExtractContext,
  type ReadMessage,
} from './message-reader.ts';
import type { ReportedMessage } from './types.ts';

/** The attached messages directly inside `msg` (its own parts, not inside other attached messages). */
export function attachedParts(msg: ReadMessage): ReadMessage['parts'] {
  // walkMime does not enter message parts, so every one listed belongs to `msg` itself; the root
  // counts too when the whole message is a message/rfc822 wrapper around another.
  return msg.parts.filter((p) => isMessagePart(p) || HEADER_PART_TYPES.has(p.contentType));
}

/**
 * A forward whose attachment is itself only a forward ("Fwd: Fw: …" wrapping the spam): the attached
 * message carries message/rfc822 parts of its own and reads as a forward (a forward subject prefix,
 * or no Received header: it was never sent, e.g. a draft). A spam message that merely carries an
 * attached message but was received over SMTP with its own subject is kept as it is.
 */
function isWrapperForward(inner: ReadMessage): boolean {
  if (attachedParts(inner).length === 0) return false;
  return hasForwardPrefix(inner.subject) || headerValue(inner.headers, 'received') === null;
}

/**
 * message/rfc822 attachments of a forward, one ReportedMessage each, with forwards-of-forwards
 * unwrapped to the innermost message. Bounded by the MIME depth and the message count.
 */
export function attachedMessages(msg: ReadMessage, ctx: ExtractContext): ReportedMessage[] {
  const out: ReportedMessage[] = [];
  // Work list of [part, depth of the message holding it, notes so far], in document order.
  const work = attachedParts(msg).map((part) => ({ part, depth: msg.depth + 1, notes: [] as string[] }));
  while (work.length > 0) {
    const item = work.shift()!;
    if (out.length >= ctx.limits.messages) {
      ctx.budget.truncated.push(`more than ${ctx.limits.messages} reported messages: the rest not read`);
      break;
    }
    const raw = attachedMessageBytes(item.part);
    if (HEADER_PART_TYPES.has(item.part.contentType)) {
      // Some reporters attach only the headers (text/rfc822-headers): a message without a body.
      const hs = readHeaderSection(raw, ctx.limits);
      for (const t of hs.truncated) ctx.budget.truncated.push(`attached headers: ${t}`);
      out.push({ source: 'rfc822-headers', headers: hs.headers, raw: raw.subarray(0, hs.bodyStart), arf: null, notes: item.notes });
      continue;
    }
    const inner = readMessage(raw, item.depth, ctx, 'attached message');
    if (isArf(inner)) {
      // A forwarded feedback-loop report: the reported message is the report's original, with its fields.
      const original = extractArf(inner, ctx);
      out.push({ ...original, notes: [...item.notes, 'attached message is an ARF report: its original message is the reported one', ...original.notes] });
      continue;
    }
    if (item.depth < ctx.limits.mimeDepth && isWrapperForward(inner)) {
      const note = `unwrapped nested forward at depth ${item.depth} (subject "${(inner.subject ?? '').slice(0, 80)}")`;
      const nested = attachedParts(inner).map((part) => ({ part, depth: item.depth + 1, notes: [...item.notes, note] }));
      work.unshift(...nested);
      continue;
    }
    if (item.depth >= ctx.limits.mimeDepth && isWrapperForward(inner)) {
      ctx.budget.truncated.push(`nested forwards deeper than ${ctx.limits.mimeDepth}: not unwrapped further`);
    }
    out.push({ source: 'attachment', headers: inner.headers, raw, arf: null, notes: item.notes });
  }
  return out;
}

/**
 * An inline forward in the first text body. Marker blocks (Gmail / Outlook / Apple Mail) count only
 * when the wrapper's subject reads as a forward (or there is none), so spam that fakes a reply chain
 * with "-----Original Message-----" stays `direct`; a pasted header block with a Received chain always counts.
 */
export function inlineMessage(msg: ReadMessage, ctx: ExtractContext): ReportedMessage | null {
  const plain = firstTextPart(msg);
  // HTML-only forwards (some webmail): search the text of the first HTML body instead.
  const text = plain ?? msg.parts.find((p) => p.contentType === 'text/html' && isBodyPart(p)) ?? null;
  if (!text) return null;
  const decoded = partText(text, ctx.limits.inlineScanBytes);
  const scanned = plain ? decoded : htmlToText(decoded);
  if (text.body.length > ctx.limits.inlineScanBytes) {
    ctx.budget.truncated.push(`text body longer than ${ctx.limits.inlineScanBytes} bytes: only the start searched for inline forwards`);
  }
  const found = findInlineMessage(scanned, ctx.limits);
  if (!found) return null;
  const subject = (msg.subject ?? '').trim();
  if (found.style !== 'pasted-headers' && subject !== '' && !hasForwardPrefix(subject)) return null;
  const notes = [
    found.style === 'pasted-headers'
      ? 'header block pasted into the text body'
      : `inline ${found.style} forward block: headers without a Received chain`,
  ];
  return { source: 'inline-forward', headers: found.headers, raw: found.raw, arf: null, notes };
}
