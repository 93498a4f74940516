import { dsnReason } from '../analysis/message/dsn-signals.ts';
import { readHeaderSection, headerValue } from '../analysis/message/header-section.ts';
import { htmlToText } from '../analysis/message/html-text.ts';
import { resolveLimits } from '../analysis/message/limits.ts';
import { firstTextPart, isBodyPart, partText, readMessage, type ExtractContext } from '../analysis/message/message-reader.ts';
import type { MimePart } from '../analysis/message/mime-tree.ts';
import { mergeFindings, type BounceFinding } from './bounce-finding.ts';
import { findReplies, firstIp, MAX_SCAN_CHARS } from './reply-lines.ts';

/** What a bounce (an uploaded message, or pasted text) says about the rejection. */
export interface BounceReading {
  /** Why the analysis core takes it for a delivery report (dsn-signals.ts), or null (pasted text, or no bounce). */
  dsn: string | null;
  findings: BounceFinding[];
}

const DELIVERY_STATUS = new Set(['message/delivery-status', 'message/global-delivery-status']);
/** Bytes of each text part read: the reply is in the first lines; the rest is the returned message. */
const TEXT_BYTES = 64 * 1024;
/** Recipient groups read from one delivery-status part. */
const MAX_GROUPS = 50;
/** A message starts with a header field (`Name: value`), perhaps after an mbox `From ` line. */
const LOOKS_LIKE_MESSAGE = /^(?:\uFEFF)?(?:From [^\n]*\n)?[A-Za-z][A-Za-z0-9-]{0,60}:[^\n]*\n/;

/**
 * One message/delivery-status body (RFC 3464): per-message fields, then one group of fields per
 * recipient, separated by blank lines. Each group's Diagnostic-Code carries the remote server's own
 * reply; its Status is the fallback when the reply has no code.
 */
export function readDeliveryStatus(body: Buffer, ctx: ExtractContext): BounceFinding[] {
  const out: BounceFinding[] = [];
  let pos = 0;
  for (let groups = 0; pos < body.length && groups < MAX_GROUPS; groups++) {
    const hs = readHeaderSection(body.subarray(pos), ctx.limits);
    if (hs.headers.length === 0 || hs.bodyStart === 0) break;
    pos += hs.bodyStart;
    const diagnostic = (headerValue(hs.headers, 'diagnostic-code') ?? '').replace(/^\s*[\w-]+\s*;\s*/, '');
    const status = /^\s*([45])\.(\d{1,3})\.(\d{1,3})\b/.exec(headerValue(hs.headers, 'status') ?? '');
    const found = findReplies(diagnostic, 'delivery-status');
    if (found.length === 0 && status) {
      const text = diagnostic.trim().slice(0, 500);
      found.push({ status: `${status[1]}.${Number(status[2])}.${Number(status[3])}`, reply: null, text, ip: text ? firstIp(text) : null, source: 'delivery-status' });
    }
    mergeFindings(out, found);
  }
  return out;
}

function textOf(part: MimePart): string {
  const text = partText(part, TEXT_BYTES);
  return part.contentType === 'text/html' ? htmlToText(text).replace(/ {2,}/g, '\n') : text;
}

/**
 * Reads an uploaded bounce with the analysis core's message reader: the delivery-status parts
 * first (the machine-readable report), then the shown text parts (plain-text bounces, and the
 * human-readable part of a DSN). The returned original message is never entered. Pure and total.
 */
export function readBounceMessage(raw: Buffer): BounceReading {
  const ctx: ExtractContext = { limits: resolveLimits(), budget: { parts: 0, truncated: [] } };
  const msg = readMessage(raw, 0, ctx, 'bounce');
  const first = firstTextPart(msg);
  const dsn = dsnReason(msg.headers, msg.subject, msg.parts, first ? partText(first, 4096).toLowerCase() : '');
  const findings: BounceFinding[] = [];
  for (const p of msg.parts) if (DELIVERY_STATUS.has(p.contentType)) mergeFindings(findings, readDeliveryStatus(Buffer.from(partText(p, TEXT_BYTES), 'utf8'), ctx));
  const texts = msg.parts.filter((p) => isBodyPart(p) && p.depth <= 2 && (p.contentType === 'text/plain' || p.contentType === 'text/html'));
  // A bounce with a text/plain part says it there; its text/html twin only repeats it.
  const shown = texts.some((p) => p.contentType === 'text/plain') ? texts.filter((p) => p.contentType === 'text/plain') : texts;
  for (const p of shown.slice(0, 5)) mergeFindings(findings, findReplies(textOf(p)));
  return { dsn, findings };
}

/**
 * Pasted text: a whole bounce message (its source, header lines first) is read as a message;
 * anything else — a reply line, an NDR's text — is searched line by line.
 */
export function readPastedBounce(text: string): BounceReading {
  const cut = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
  if (LOOKS_LIKE_MESSAGE.test(cut)) {
    const read = readBounceMessage(Buffer.from(cut, 'utf8'));
    if (read.findings.length > 0) return read;
  }
  return { dsn: null, findings: findReplies(cut) };
}
