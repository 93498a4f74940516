import type { Config } from '../../shared/config/config.schema.ts';
import type { OutgoingMail } from '../../shared/mail/mailer.ts';
import { composeArf } from '../../shared/notifications/compose-arf.ts';
import { USER_AGENT } from '../../shared/notifications/notification-text.ts';
import type { ReportedForArf } from './load-reported-message.ts';

/** The bare address of MAIL_FROM (`Abuse desk <abuse@x>` → `abuse@x`), for the SMTP envelope. */
function envelopeFrom(mailFrom: string): string {
  return /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom.trim();
}

/** The reported message's Return-Path (ARF `Original-Mail-From`), read from its first 64 KB only. */
function returnPathOf(message: Buffer): string | null {
  return /^return-path:[ \t]*<?([^\s<>]{1,320}@[^\s<>]{1,255})>?/im.exec(message.subarray(0, 64 * 1024).toString('latin1'))?.[1] ?? null;
}

/**
 * One stored report as an ARF mail (RFC 5965), redacted: the part every ARF notification shares (a
 * tenant's copy, an IP owner's feedback-loop copy); the caller gives the recipients and the words.
 */
export function reportedArfMail(
  config: Config,
  r: ReportedForArf & { message: Buffer },
  mail: { to: string[]; messageId: string; subject: string; humanText: (attachedReason: string) => string },
): OutgoingMail {
  const arf = composeArf({
    from: config.MAIL_FROM,
    to: mail.to,
    messageId: mail.messageId,
    subject: mail.subject,
    date: new Date(),
    humanText: mail.humanText,
    feedbackType: r.feedbackType,
    userAgent: USER_AGENT,
    sourceIp: r.sourceIp,
    arrivalDate: r.receivedAt,
    originalMailFrom: returnPathOf(r.message),
    reportedDomain: r.fromDomain,
    reported: r.message,
    headersOnly: r.headersOnly,
    redactAddresses: r.redact,
    attachMaxBytes: config.NOTIFY_ATTACH_MAX_BYTES,
  });
  return { raw: arf.raw, envelope: { from: envelopeFrom(config.MAIL_FROM), to: mail.to }, messageId: mail.messageId };
}
