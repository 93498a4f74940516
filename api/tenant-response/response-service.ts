import type { DataSource } from 'typeorm';
import { hashResponseToken, isResponseToken } from '../../shared/notifications/response-token.ts';
import { redactSubject } from '../../shared/notifications/digest.ts';
import { recordEvent } from '../../shared/webhooks/record-event.ts';

export const ANSWERS = ['resolved', 'investigating', 'disputed'] as const;
export type Answer = (typeof ANSWERS)[number];

export interface ResponseView {
  notificationId: string;
  tenantId: string | null;
  channel: string;
  sentAt: Date | null;
  reports: { receivedAt: Date; originatingIp: string | null; feedbackType: string | null; subject: string; fromDomain: string | null; messageId: string | null }[];
  answers: { answer: Answer; comment: string; at: Date }[];
}

/** The notification a live token opens, or null (unknown, malformed or expired: one answer for all). */
export async function findByResponseToken(ds: DataSource, token: string, now: Date = new Date()): Promise<ResponseView | null> {
  if (!isResponseToken(token)) return null;
  const [n]: { id: string; tenant_id: string | null; channel: string; sent_at: Date | null; report_ids: string[] }[] = await ds.query(
    `SELECT id, tenant_id, channel, sent_at, report_ids FROM notifications WHERE token_hash = $1 AND token_expires_at > $2`,
    [hashResponseToken(token), now],
  );
  if (!n) return null;
  const reports: { received_at: Date; originating_ip: string | null; feedback_type: string | null; subject: string | null; from_domain: string | null; message_id: string | null }[] =
    await ds.query(
      `SELECT received_at, host(originating_ip) AS originating_ip, feedback_type, subject, from_domain, message_id
         FROM reports WHERE id = ANY($1::uuid[]) ORDER BY received_at LIMIT 500`,
      [n.report_ids],
    );
  const answers: { answer: Answer; comment: string; created_at: Date }[] = await ds.query(
    `SELECT answer, comment, created_at FROM notification_answers WHERE notification_id = $1 ORDER BY created_at, id`,
    [n.id],
  );
  return {
    notificationId: n.id,
    tenantId: n.tenant_id,
    channel: n.channel,
    sentAt: n.sent_at,
    // Only what the tenant's own customer sent: no reporter, no recipient (subjects redacted too).
    reports: reports.map((r) => ({ receivedAt: r.received_at, originatingIp: r.originating_ip, feedbackType: r.feedback_type, subject: redactSubject(r.subject), fromDomain: r.from_domain, messageId: r.message_id })),
    answers: answers.map((a) => ({ answer: a.answer, comment: a.comment, at: a.created_at })),
  };
}

/**
 * Records one answer (each submitted form is one answer; the link stays valid for its 30 days so
 * a tenant can say "investigating" now and "resolved" later) and raises `notification.answered`
 * in the same transaction. A `disputed` answer appears in the analysts' dispute queue.
 */
export async function recordAnswer(ds: DataSource, view: ResponseView, answer: Answer, comment: string, clientIp: string | null): Promise<void> {
  await ds.transaction(async (em) => {
    const [row]: { created_at: Date }[] = await em.query(
      `INSERT INTO notification_answers (notification_id, answer, comment, client_ip) VALUES ($1, $2, $3, $4) RETURNING created_at`,
      [view.notificationId, answer, comment, clientIp],
    );
    const [n]: { report_ids: string[] }[] = await em.query(`SELECT report_ids FROM notifications WHERE id = $1`, [view.notificationId]);
    await recordEvent(em, 'notification.answered', {
      notificationId: view.notificationId, tenant: view.tenantId, answer, comment, reportIds: n?.report_ids ?? [], at: row!.created_at.toISOString(),
    });
  });
}
