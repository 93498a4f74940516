import { headerValue } from './header-section.ts';
import type { HeaderField } from './types.ts';
import type { MimePart } from './mime-tree.ts';

/** Local parts of the addresses MTAs send bounces from. */
const DAEMON_LOCALS = new Set(['mailer-daemon', 'mailer_daemon', 'maildaemon', 'postmaster', 'post_master', 'mail-daemon', 'bounce', 'bounces', 'mdaemon']);
/** Subject prefixes / phrases of bounces, lower-case. Matched at the start (after `[tags]`) so spam that merely mentions them is not caught. */
const BOUNCE_SUBJECTS = [
  'undeliverable',
  'undelivered mail',
  'undeliverable mail',
  'delivery status notification',
  'delivery status',
  'delivery notification',
  'delivery failure',
  'delivery failed',
  'delivery has failed',
  'mail delivery failed',
  'mail delivery failure',
  'mail delivery system',
  'returned mail',
  'failure notice',
  'failed mail',
  'non-delivery',
  'nondeliverable',
  'non remis',
  'unzustellbar',
  'message you sent blocked',
  'email delivery failure',
  'delivery report',
  'postmaster notify',
  'notice: mail delivery status',
  'warning: message',
  'delayed mail',
  'delivery delayed',
  'mail system error',
  'could not send message',
];
/** Phrases in the first lines of a plain-text bounce body (lower-case). */
const BOUNCE_BODY = [
  'this is the qmail-send program',
  'this is the mail system at host',
  'this message was created automatically by mail delivery software',
  'delivery has failed to these recipients',
  'your message could not be delivered',
  'could not be delivered to one or more recipients',
  'the following addresses had permanent fatal errors',
  'i\'m sorry to have to inform you that your message could not',
  'message delivery to the following recipient',
  'delivery to the following recipient failed',
  'unable to deliver your message',
  'error: invalid user address',
  'requested action not taken',
];
/** Part types that only reports about mail (not mail) use. */
const REPORT_PART_TYPES = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'message/disposition-notification',
  'message/global-disposition-notification',
  'application/tlsrpt+json',
  'application/tlsrpt+gzip',
]);
const DMARC_ARCHIVES = new Set(['application/zip', 'application/gzip', 'application/x-gzip', 'application/x-zip-compressed', 'application/x-zip']);

/** The address's local part, lower-case, from `Name <local@host>` or `local@host (Comment)`. */
export function addressLocalPart(value: string | null): string | null {
  if (!value) return null;
  const lt = value.lastIndexOf('<');
  const gt = lt < 0 ? -1 : value.indexOf('>', lt);
  let addr = lt >= 0 && gt > lt ? value.slice(lt + 1, gt) : value.trim().split(/\s/)[0] ?? '';
  // `MAILER-DAEMON <>`: the display name is all there is.
  if (addr.trim() === '' && lt > 0) addr = value.slice(0, lt).replace(/"/g, '').trim();
  const at = addr.lastIndexOf('@');
  return (at < 0 ? addr : addr.slice(0, at)).trim().toLowerCase() || null;
}

/** Subject lower-cased with leading `[tag]` and blanks removed. */
export function normalSubject(subject: string | null): string {
  let s = (subject ?? '').trim().toLowerCase();
  while (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0 || close > 40) break;
    s = s.slice(close + 1).trim();
  }
  return s;
}

/**
 * Why this message is a delivery report of some kind (bounce, DSN, read receipt, DMARC aggregate
 * or TLS report), or null. `subject` is already RFC 2047-decoded; `bodyHead` is the start of the
 * first text part, lower-cased.
 */
export function dsnReason(headers: HeaderField[], subject: string | null, parts: MimePart[], bodyHead: string): string | null {
  const root = parts[0];
  if (root?.contentType === 'multipart/report') {
    const rt = (root.params['report-type'] ?? '').toLowerCase();
    if (rt === 'delivery-status' || rt === 'disposition-notification' || rt === 'global-delivery-status') {
      return `multipart/report; report-type=${rt}`;
    }
  }
  for (const p of parts) {
    if (REPORT_PART_TYPES.has(p.contentType)) return `a ${p.contentType} part`;
  }
  const s = normalSubject(subject);
  if (s.startsWith('report domain:') && s.includes('submitter:')) return 'a DMARC aggregate report (subject "Report Domain: … Submitter: …")';
  if (headerValue(headers, 'tls-report-domain') !== null) return 'a TLS report (TLS-Report-Domain header)';
  for (const p of parts) {
    const name = (p.dispositionParams.filename ?? p.params.name ?? '').toLowerCase();
    if (DMARC_ARCHIVES.has(p.contentType) || name.endsWith('.xml.gz') || name.endsWith('.zip')) {
      // rua naming: receiver!policy-domain!begin!end[!id].xml.gz|zip
      if (name.split('!').length >= 4) return `a DMARC aggregate report attachment (${name.slice(0, 120)})`;
    }
  }
  const from = addressLocalPart(headerValue(headers, 'from'));
  const daemon = from !== null && DAEMON_LOCALS.has(from);
  const returnPath = headerValue(headers, 'return-path');
  const nullSender = returnPath !== null && (returnPath.replace(/\s/g, '') === '<>' || returnPath.trim() === '' || returnPath.toLowerCase().includes('<null>'));
  const daemonReturn = returnPath !== null && /mailer-daemon/i.test(returnPath);
  const bounceSubject = BOUNCE_SUBJECTS.some((p) => s.startsWith(p)) || s.includes('returning message to sender') || s.includes('mail failure');
  const bounceBody = BOUNCE_BODY.some((p) => bodyHead.includes(p));
  if (bodyHead.includes('this is the qmail-send program')) return 'a qmail bounce ("Hi. This is the qmail-send program")';
  if ((daemon || bounceSubject) && isLure(parts, bodyHead)) return null;
  if (daemon && (bounceSubject || bounceBody || nullSender || daemonReturn)) {
    return `a bounce from ${from} (${bounceSubject ? 'bounce subject' : bounceBody ? 'bounce text' : 'null envelope sender'})`;
  }
  if (bounceSubject && (nullSender || daemonReturn || bounceBody)) return 'a bounce (bounce subject and null envelope sender)';
  if (daemon && parts.some((p) => p.contentType === 'message/rfc822' || p.contentType === 'text/rfc822-headers')) {
    return `a bounce from ${from} returning the original message`;
  }
  return null;
}

/** Header lines a bounce quotes from the message it returns (`Received:`, `Subject:` … at a line start). */
const QUOTED_HEADER = /^[ \t>]*(?:received|from|to|subject|date|message-id|return-path):/gm;

/**
 * Phishing dressed as a bounce ("Undelivered mail: 4 messages held — release them here"), seen
 * only through the heuristics below (no multipart/report, no delivery-status part): it returns no
 * message — no message/rfc822 or text/rfc822-headers part, no quoted header lines — and it offers
 * something to click (an HTML body, or a link in the text). Real heuristic bounces in the corpus
 * always return the original or are plain text without links. Such a message is reported, not
 * discarded: its From and subject are the sender's to choose, and so is its envelope sender.
 */
function isLure(parts: MimePart[], bodyHead: string): boolean {
  if (parts.some((p) => p.contentType === 'message/rfc822' || p.contentType === 'text/rfc822-headers')) return false;
  let quoted = 0;
  for (const _ of bodyHead.matchAll(QUOTED_HEADER)) if (++quoted >= 2) return false;
  return parts.some((p) => p.contentType === 'text/html') || /https?:\/\/|<a\s/.test(bodyHead);
}
