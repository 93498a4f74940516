import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { answer, notification } from './notifications.schemas.ts';

type Notification = z.infer<typeof notification>;
type Answer = z.infer<typeof answer>;

interface AnswerRow {
  id: string; notification_id: string; tenant_id: string | null; answer: Answer['answer']; comment: string; created_at: Date;
  reviewed_at: Date | null; reviewed_by: string | null; review_note: string | null;
}

export function answerView(a: AnswerRow): Answer {
  return {
    id: String(a.id), notificationId: a.notification_id, tenant: a.tenant_id, answer: a.answer, comment: a.comment, at: a.created_at.toISOString(),
    reviewedAt: a.reviewed_at?.toISOString() ?? null, reviewedBy: a.reviewed_by, reviewNote: a.review_note,
  };
}

/** Notifications matching `where` (SQL over alias n, with $1…), newest first, each with its answers. */
export async function listNotifications(ds: DataSource, where: string, params: unknown[], limit = 100): Promise<Notification[]> {
  const rows: {
    id: string; tenant_id: string | null; channel: Notification['channel']; trigger: Notification['trigger']; recipients: string[]; report_ids: string[];
    status: Notification['status']; attempts: number; last_error: string | null; message_id: string | null; held_count: number; created_at: Date; sent_at: Date | null;
  }[] = await ds.query(`SELECT * FROM notifications n WHERE ${where} ORDER BY n.created_at DESC, n.id LIMIT ${Math.min(500, Math.max(1, limit))}`, params);
  const answers: AnswerRow[] = rows.length
    ? await ds.query(
        `SELECT a.*, n.tenant_id FROM notification_answers a JOIN notifications n ON n.id = a.notification_id WHERE a.notification_id = ANY($1::uuid[]) ORDER BY a.created_at, a.id`,
        [rows.map((r) => r.id)],
      )
    : [];
  return rows.map((r) => ({
    id: r.id, tenant: r.tenant_id, channel: r.channel, trigger: r.trigger, recipients: r.recipients, reportIds: r.report_ids, status: r.status,
    attempts: r.attempts, lastError: r.last_error, messageId: r.message_id, heldCount: r.held_count, createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null, answers: answers.filter((a) => a.notification_id === r.id).map(answerView),
  }));
}

export async function listAnswers(ds: DataSource, open: boolean): Promise<Answer[]> {
  const rows: AnswerRow[] = await ds.query(
    `SELECT a.*, n.tenant_id FROM notification_answers a JOIN notifications n ON n.id = a.notification_id
      WHERE ${open ? `a.answer = 'disputed' AND a.reviewed_at IS NULL` : 'true'} ORDER BY a.created_at DESC LIMIT 500`,
  );
  return rows.map(answerView);
}
