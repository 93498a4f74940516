import { resolveLimits, type ExtractionLimits } from './limits.ts';
import { readMessage, firstTextPart, partText, type ExtractContext, type ReadMessage } from './message-reader.ts';
import { dsnReason } from './dsn-signals.ts';
import { autoReplySignal } from './auto-reply-signals.ts';
import { isArf, extractArf, hasXarfHeader, findXarfReport, extractXarf, jmrpFields } from './report-parts.ts';
import { attachedMessages, inlineMessage } from './forwards.ts';
import { findInlineMessage } from './inline-forward.ts';
import type { Extraction, ReportedMessage } from './types.ts';
import type { SubmissionKind } from '../types.ts';

export type { ExtractionLimits } from './limits.ts';
export { DEFAULT_EXTRACTION_LIMITS } from './limits.ts';

/** Header fields that show a header section belongs to mail (and not to random `word: text` lines). */
const MAIL_FIELDS = new Set(['from', 'received', 'subject', 'date', 'message-id', 'return-path', 'to', 'content-type', 'sender', 'delivered-to', 'mime-version']);
/** How much of the first text body the bounce phrases are looked for in. */
const BOUNCE_HEAD_BYTES = 4096;

function result(kind: SubmissionKind, messages: ReportedMessage[], reason: string | null, wrapper: Extraction['wrapper'], ctx: ExtractContext | null): Extraction {
  return { kind, messages, reason, wrapper, truncated: ctx ? [...new Set(ctx.budget.truncated)] : [] };
}

function wrapperOf(msg: ReadMessage): Extraction['wrapper'] {
  return { from: msg.from, subject: msg.subject, headers: msg.headers };
}

/**
 * Find the reported message(s) in a submission and classify it (see docs/extraction.md).
 * Pure and total: any input gives an Extraction, never an exception; every loop is bounded by `limits`.
 */
export function extractMessages(raw: Buffer, limits?: Partial<ExtractionLimits>): Extraction {
  let ctx: ExtractContext | null = null;
  try {
    if (!Buffer.isBuffer(raw) || raw.length === 0) return result('empty', [], 'empty input', null, null);
    ctx = { limits: resolveLimits(limits), budget: { parts: 0, truncated: [] } };
    return classify(raw, ctx);
  } catch (err) {
    // A safety net, not a code path: the readers are written not to throw; if one ever does, the
    // submission still gets a clear answer instead of a failed job.
    return result('empty', [], `extraction failed: ${err instanceof Error ? err.message : String(err)}`, null, ctx);
  }
}

/**
 * The order of the checks is the policy:
 * 1. explicit report structure (RFC 5965 ARF, RFC 3464/8098 multipart/report) and X-ARF markers: a
 *    generator declared what the message is; these win over `Auto-Submitted: auto-generated`, which
 *    FBL and X-ARF generators set on every report;
 * 2. bounces and other mail reports, before forwards: a bounce returns the original as
 *    message/rfc822 and would otherwise read as a forward;
 * 3. strong auto-reply signals (RFC 3834 auto-replied, vacation subjects): responders may quote or
 *    attach the original too;
 * 4. forwards (JMRP, attachments, inline blocks), then weak auto signals on a reply (auto-generated
 *    mail that answers another: a ticket system acknowledging our mail), then `direct`. Machine-generated
 *    mail that answers nothing is reported: phishing through notification services is marked that way.
 */
function classify(raw: Buffer, ctx: ExtractContext): Extraction {
  const msg = readMessage(raw, 0, ctx, 'submission');
  if (!msg.headers.some((h) => MAIL_FIELDS.has(h.name))) return noHeaders(raw, ctx);

  if (isArf(msg)) return result('arf', [extractArf(msg, ctx)], null, wrapperOf(msg), ctx);
  const xarfHeader = hasXarfHeader(msg);
  const xarfReport = findXarfReport(msg, ctx, xarfHeader);
  if (xarfHeader || xarfReport) return result('xarf', [extractXarf(msg, ctx, xarfReport)], null, wrapperOf(msg), ctx);

  const text = firstTextPart(msg);
  const bodyHead = text ? partText(text, BOUNCE_HEAD_BYTES).toLowerCase() : '';
  const dsn = dsnReason(msg.headers, msg.subject, msg.parts, bodyHead);
  if (dsn) return result('dsn', [], `delivery report: ${dsn}; never answered`, null, ctx);

  const auto = autoReplySignal(msg.headers, msg.subject);
  if (auto?.strong) return result('auto-reply', [], `automatic reply: ${auto.reason}; never answered`, null, ctx);

  const attached = attachedMessages(msg, ctx);
  if (attached.length > 0) {
    const jmrp = jmrpFields(msg, attached);
    if (jmrp) {
      const note = 'Microsoft JMRP complaint (multipart/mixed, not RFC 5965): feedback fields taken from the wrapper';
      const messages = attached.map((m) => ({ ...m, arf: jmrp, notes: [...m.notes, note] }));
      return result('forward', messages, null, wrapperOf(msg), ctx);
    }
    return result('forward', attached, null, wrapperOf(msg), ctx);
  }
  const inline = inlineMessage(msg, ctx);
  if (inline) return result('forward', [inline], null, wrapperOf(msg), ctx);

  if (auto) return result('auto-reply', [], `automatic message: ${auto.reason}; never answered`, null, ctx);
  return result('direct', [{ source: 'self', headers: msg.headers, raw, arf: null, notes: [] }], null, null, ctx);
}

/** No header section at the top: maybe a pasted header block after some text (web form), else nothing usable. */
function noHeaders(raw: Buffer, ctx: ExtractContext): Extraction {
  const head = raw.subarray(0, ctx.limits.inlineScanBytes);
  const text = head.toString('utf8');
  const found = findInlineMessage(text, ctx.limits);
  if (found?.style === 'pasted-headers') {
    const message: ReportedMessage = { source: 'self', headers: found.headers, raw: found.raw, arf: null, notes: ['header block found after leading text'] };
    return result('direct', [message], null, null, ctx);
  }
  return result('empty', [], 'no mail header section found', null, ctx);
}
