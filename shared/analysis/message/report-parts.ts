import { readHeaderSection, headerValue } from './header-section.ts';
import { parseArfReport, emptyArfFields, cleanIp } from './arf-fields.ts';
import { looksLikeXarfYaml, parseXarfYaml, parseXarfJson } from './xarf-fields.ts';
import { attachedMessageBytes, isMessagePart, partBytes, partText, firstTextPart, type ExtractContext, type ReadMessage } from './message-reader.ts';
import type { MimePart } from './mime-tree.ts';
import type { ArfFields } from '../types.ts';
import type { ReportedMessage } from './types.ts';

/** Part types that carry an ARF report's original headers (`text/rfc822-header` is a real misspelling, arf-12). */
export const HEADER_PART_TYPES = new Set(['text/rfc822-headers', 'text/rfc822-header', 'message/rfc822-headers', 'text/rfc822']);

/** Is this submission an RFC 5965 feedback report? */
export function isArf(msg: ReadMessage): boolean {
  const root = msg.parts[0];
  if (root?.contentType === 'multipart/report' && (root.params['report-type'] ?? '').toLowerCase() === 'feedback-report') return true;
  // Some generators drop the report-type parameter; the message/feedback-report part is what counts.
  return msg.parts.some((p) => p.depth === msg.depth + 1 && p.contentType === 'message/feedback-report');
}

/** The original message of a report: a message/rfc822 part, or a part with its headers only. */
function originalMessage(msg: ReadMessage, ctx: ExtractContext, skip: MimePart | null): ReportedMessage | null {
  for (const p of msg.parts) {
    if (p === skip || p.depth !== msg.depth + 1) continue;
    if (isMessagePart(p)) {
      const raw = attachedMessageBytes(p);
      const hs = readHeaderSection(raw, ctx.limits);
      for (const t of hs.truncated) ctx.budget.truncated.push(`reported message: ${t}`);
      return { source: 'attachment', headers: hs.headers, raw, arf: null, notes: [] };
    }
    if (HEADER_PART_TYPES.has(p.contentType)) {
      const raw = partBytes(p, p.body.length);
      const hs = readHeaderSection(raw, ctx.limits);
      for (const t of hs.truncated) ctx.budget.truncated.push(`reported headers: ${t}`);
      const notes = p.contentType === 'text/rfc822-headers' ? [] : [`original headers in a ${p.contentType} part`];
      return { source: 'rfc822-headers', headers: hs.headers, raw: raw.subarray(0, hs.bodyStart), arf: null, notes };
    }
  }
  return null;
}

/** ARF: the feedback-report fields and the original message (one per report, RFC 5965 §2). */
export function extractArf(msg: ReadMessage, ctx: ExtractContext): ReportedMessage {
  const feedback = msg.parts.find((p) => p.contentType === 'message/feedback-report') ?? null;
  const notes: string[] = [];
  let arf: ArfFields = emptyArfFields();
  if (feedback) {
    const parsed = parseArfReport(partBytes(feedback, ctx.limits.inlineScanBytes), ctx.limits);
    arf = parsed.arf;
    notes.push(...parsed.notes);
  } else {
    notes.push('multipart/report; report-type=feedback-report without a message/feedback-report part');
  }
  const original = originalMessage(msg, ctx, feedback);
  if (!original) {
    return { source: 'attachment', headers: [], raw: Buffer.alloc(0), arf, notes: [...notes, 'ARF report without the original message: only the report fields are known'] };
  }
  return { ...original, arf, notes: [...notes, ...original.notes] };
}

/** Is this an X-ARF report (`X-ARF: yes`, `X-XARF: PLAIN`)? */
export function hasXarfHeader(msg: ReadMessage): boolean {
  const a = headerValue(msg.headers, 'x-arf');
  const b = headerValue(msg.headers, 'x-xarf');
  return (a !== null && a.trim().toLowerCase() !== 'no') || (b !== null && b.trim().toLowerCase() !== 'no');
}

const REPORT_TYPES = new Set(['text/plain', 'text/yaml', 'text/x-yaml', 'application/yaml', 'application/x-yaml', 'application/json', 'text/json']);

/** Find and read the X-ARF report part: YAML (0.1/0.2) or JSON (v3/v4). Without the header only typed YAML/JSON parts count. */
export function findXarfReport(msg: ReadMessage, ctx: ExtractContext, header: boolean): { part: MimePart; arf: ArfFields } | null {
  for (const p of msg.parts) {
    if (p.depth === msg.depth || !REPORT_TYPES.has(p.contentType)) continue;
    if (!header && p.contentType === 'text/plain') continue;
    const text = partText(p, ctx.limits.inlineScanBytes);
    if (p.contentType.includes('json') || text.trimStart().startsWith('{')) {
      const arf = parseXarfJson(text);
      if (arf) return { part: p, arf };
    } else if (looksLikeXarfYaml(text)) {
      return { part: p, arf: parseXarfYaml(text) };
    }
  }
  return null;
}

/** X-ARF: the report fields and the evidence message (message/rfc822, or a text attachment holding headers). */
export function extractXarf(msg: ReadMessage, ctx: ExtractContext, report: { part: MimePart; arf: ArfFields } | null): ReportedMessage {
  const arf = report?.arf ?? emptyArfFields();
  const notes = report ? [] : ['X-ARF header present but no readable report part'];
  const original = originalMessage(msg, ctx, report?.part ?? null);
  if (original) return { ...original, source: 'xarf-attachment', arf, notes: [...notes, ...original.notes] };
  const human = firstTextPart(msg);
  for (const p of msg.parts) {
    if (p === report?.part || p === human || p.depth === msg.depth || !p.contentType.startsWith('text/')) continue;
    const raw = partBytes(p, ctx.limits.inlineScanBytes);
    const hs = readHeaderSection(raw, ctx.limits);
    if (hs.headers.length >= 2 && hs.headers.some((h) => h.name === 'received' || h.name === 'message-id')) {
      return { source: 'xarf-attachment', headers: hs.headers, raw, arf, notes: [...notes, 'evidence headers read from a text attachment'] };
    }
  }
  return { source: 'xarf-attachment', headers: [], raw: Buffer.alloc(0), arf, notes: [...notes, 'X-ARF report without evidence message: only the report fields are known'] };
}

/**
 * Microsoft JMRP (Hotmail/Outlook.com complaint): multipart/mixed with the complained-about message as
 * message/rfc822 and no feedback-report part. Recognised by the sender, the subject or the
 * X-HmXmrOriginalRecipient header Microsoft adds to the attached message.
 */
export function jmrpFields(msg: ReadMessage, attached: ReportedMessage[]): ArfFields | null {
  const from = (msg.from ?? '').toLowerCase();
  const subject = (msg.subject ?? '').trim().toLowerCase();
  const marker = attached.some((m) => headerValue(m.headers, 'x-hmxmroriginalrecipient') !== null);
  if (attached.length === 0 || !(marker || from.includes('staff@hotmail.com') || subject.startsWith('complaint about message from'))) return null;
  const arf = emptyArfFields();
  arf.feedbackType = 'abuse';
  arf.userAgent = 'Microsoft JMRP';
  if (subject.startsWith('complaint about message from')) arf.sourceIp = cleanIp(subject.slice('complaint about message from'.length));
  const first = attached[0]!;
  const rcpt = headerValue(first.headers, 'x-hmxmroriginalrecipient');
  if (rcpt) arf.originalRcptTo.push(rcpt.trim());
  const arrival = headerValue(first.headers, 'x-originalarrivaltime');
  if (arrival) arf.arrivalDate = arrival.split(' FILETIME')[0]!.trim();
  return arf;
}
