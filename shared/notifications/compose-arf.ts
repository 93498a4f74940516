import { randomBytes } from 'node:crypto';
import * as mimeFuncs from 'nodemailer/lib/mime-funcs';
import { headerSection, redactMessage } from './redact.ts';

/** What an ARF report (RFC 5965) is built from. Pure data: callers load it, this only composes. */
export interface ArfInput {
  /** Our From (MAIL_FROM) and the configured recipients: never an address taken from a report. */
  from: string;
  to: string[];
  /** Our Message-ID for this notification, e.g. `<notification-id@host>` (stable across retries). */
  messageId: string;
  subject: string;
  date: Date;
  /** The human-readable first part (plain text), or a function of what was attached and why. */
  humanText: string | ((attachedReason: string) => string);
  /** RFC 5965 fields. `feedbackType` defaults to `abuse`. */
  feedbackType?: string | null;
  userAgent: string;
  sourceIp?: string | null;
  arrivalDate?: Date | null;
  originalMailFrom?: string | null;
  reportedDomain?: string | null;
  /** Sent only when `redact` is false (we always redact by default, as mailbox providers do). */
  originalRcptTo?: string | null;
  /** The reported message's bytes (or only its header section, then `headersOnly`). */
  reported: Buffer;
  headersOnly?: boolean;
  /** Addresses to redact besides those the message names as recipients (reporter, envelope recipients). */
  redactAddresses?: readonly (string | null | undefined)[];
  /** Redact recipients and reporter. @defaultValue true */
  redact?: boolean;
  /** Above this size (or when redaction cannot clean an encoded body) only the header section is attached. */
  attachMaxBytes: number;
}

export interface ComposedArf {
  raw: Buffer;
  /** What was attached: the whole message or its header section, and why. */
  attached: 'message/rfc822' | 'text/rfc822-headers';
  attachedReason: string;
  /** The addresses that were redacted (for logs and tests; never sent). */
  redacted: string[];
}

const CRLF = '\r\n';

/** Header values we write: no CR/LF (header injection), non-ASCII as encoded-words. */
function headerValue(v: string): string {
  return mimeFuncs.encodeWords(v.replace(/[\r\n]+/g, ' ').slice(0, 900), 'Q', 76);
}

function fieldValue(v: string): string {
  return v.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 900);
}

function crlf(b: Buffer): Buffer {
  return Buffer.from(b.toString('latin1').replace(/\r?\n/g, CRLF), 'latin1');
}

function base64Lines(text: string): string {
  return (Buffer.from(text, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

/**
 * Composes an RFC 5965 feedback report: `multipart/report; report-type=feedback-report` with a
 * human part, a `message/feedback-report` part and the reported message as `message/rfc822`
 * (or `text/rfc822-headers` when it is larger than `attachMaxBytes`, was given as headers only, or
 * has an encoded body that still names a redacted address). Reusable for any recipient (tenant
 * notifications, feedback-loop copies to IP owners): nothing here reads a tenant.
 */
export function composeArf(input: ArfInput): ComposedArf {
  const doRedact = input.redact !== false;
  const r = doRedact ? redactMessage(input.reported, input.redactAddresses ?? []) : { message: input.reported, addresses: [], bodyIsClean: true };
  let attached: ComposedArf['attached'] = 'message/rfc822';
  let attachedReason = 'the whole message';
  if (input.headersOnly) [attached, attachedReason] = ['text/rfc822-headers', 'only the header section was reported'];
  else if (r.message.length > input.attachMaxBytes) [attached, attachedReason] = ['text/rfc822-headers', `the message is larger than ${input.attachMaxBytes} bytes`];
  else if (!r.bodyIsClean) [attached, attachedReason] = ['text/rfc822-headers', 'an encoded body names a redacted address'];
  const part3 = crlf(attached === 'message/rfc822' ? r.message : headerSection(r.message));
  const eightBit = part3.some((b) => b > 0x7e || (b < 0x20 && b !== 0x0d && b !== 0x0a && b !== 0x09));

  const rcptTo = !doRedact && input.originalRcptTo ? input.originalRcptTo : null;
  const redactedSet = new Set(r.addresses);
  const mailFrom = input.originalMailFrom && !redactedSet.has(input.originalMailFrom.toLowerCase()) ? input.originalMailFrom : null;
  const report = [
    `Feedback-Type: ${fieldValue(input.feedbackType || 'abuse')}`,
    `User-Agent: ${fieldValue(input.userAgent)}`,
    'Version: 1',
    mailFrom && `Original-Mail-From: <${fieldValue(mailFrom)}>`,
    rcptTo && `Original-Rcpt-To: <${fieldValue(rcptTo)}>`,
    input.arrivalDate && `Arrival-Date: ${input.arrivalDate.toUTCString().replace('GMT', '+0000')}`,
    input.sourceIp && `Source-IP: ${fieldValue(input.sourceIp)}`,
    input.reportedDomain && `Reported-Domain: ${fieldValue(input.reportedDomain)}`,
  ].filter(Boolean).join(CRLF);

  const boundary = `----=_arf_${randomBytes(12).toString('hex')}`;
  const head = [
    `From: ${headerValue(input.from)}`,
    `To: ${input.to.map(fieldValue).join(', ')}`,
    `Subject: ${headerValue(input.subject)}`,
    `Date: ${input.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${fieldValue(input.messageId)}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=feedback-report; boundary="${boundary}"`,
    // RFC 3834: an automatic message; no vacation or auto-reply should answer it.
    'Auto-Submitted: auto-generated',
    'X-Auto-Response-Suppress: All',
  ].join(CRLF);
  const parts = [
    `${head}${CRLF}${CRLF}This is a multipart message in MIME format (an abuse report, RFC 5965).${CRLF}`,
    `--${boundary}${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${base64Lines(typeof input.humanText === 'function' ? input.humanText(attachedReason) : input.humanText)}${CRLF}`,
    `--${boundary}${CRLF}Content-Type: message/feedback-report${CRLF}Content-Transfer-Encoding: 7bit${CRLF}${CRLF}${report}${CRLF}${CRLF}`,
    `--${boundary}${CRLF}Content-Type: ${attached}${attached === 'message/rfc822' ? '' : '; charset=us-ascii'}${CRLF}Content-Transfer-Encoding: ${eightBit ? '8bit' : '7bit'}${CRLF}${CRLF}`,
  ];
  const tail = `${CRLF}--${boundary}--${CRLF}`;
  const raw = Buffer.concat([Buffer.from(parts.join(''), 'utf8'), part3, Buffer.from(tail, 'ascii')]);
  return { raw, attached, attachedReason, redacted: r.addresses };
}
