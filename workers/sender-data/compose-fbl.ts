import type { DataSource } from 'typeorm';
import type { Config } from '../../shared/config/config.schema.ts';
import type { OutgoingMail } from '../../shared/mail/mailer.ts';
import { loadReportedMessage } from '../notifications/load-reported-message.ts';
import { reportedArfMail } from '../notifications/reported-arf.ts';

/** The human part of an FBL copy: what, when, from where; never who reported it or to whom it went. */
function fblText(a: { sourceIp: string | null; receivedAt: Date; feedbackType: string | null; attachedReason: string }): string {
  return [
    'Hello,',
    '',
    `we received a complaint (${a.feedbackType ?? 'abuse'}) about a message sent${a.sourceIp ? ` from ${a.sourceIp}` : ''}, one of the addresses you verified; received ${a.receivedAt.toISOString()}.`,
    `The reported message is attached (${a.attachedReason}); the recipient's and the reporter's addresses are redacted.`,
    '',
    'You receive this because this address subscribed to our feedback loop for IP owners.',
    'To stop, sign in to the sender data pages and remove the subscription.',
    '',
    'This is a machine-readable abuse report (RFC 5965, ARF).',
  ].join('\n');
}

/** One FBL copy (an `fbl` notification): the report's ARF, redacted, to the subscribed address. */
export async function composeFbl(ds: DataSource, config: Config, n: { report_ids: string[]; recipients: string[] }, messageId: string): Promise<OutgoingMail | null> {
  const r = await loadReportedMessage(ds, n.report_ids[0]!);
  if (!r?.message) return null;
  return reportedArfMail(config, { ...r, message: r.message }, {
    to: n.recipients,
    messageId,
    subject: `Complaint about mail from ${r.sourceIp ?? 'your network'}`,
    humanText: (attachedReason) => fblText({ sourceIp: r.sourceIp, receivedAt: r.receivedAt, feedbackType: r.feedbackType, attachedReason }),
  });
}
