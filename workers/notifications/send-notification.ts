import type { DataSource } from 'typeorm';
import type { Config } from '../../shared/config/config.schema.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Mailer, OutgoingMail } from '../../shared/mail/mailer.ts';
import type { CompiledTenancy } from '../../shared/tenancy/compiled-tenancy.ts';
import { composeDigest, type DigestItem } from '../../shared/notifications/digest.ts';
import { newResponseToken } from '../../shared/notifications/response-token.ts';
import { arfHumanText, notificationMessageId, responseUrl } from '../../shared/notifications/notification-text.ts';
import { loadReportedMessage } from './load-reported-message.ts';
import { reportedArfMail } from './reported-arf.ts';
import { tenantGate } from './notification-gates.ts';
import { fblGate } from '../sender-data/fbl-gate.ts';
import { composeFbl } from '../sender-data/compose-fbl.ts';

export interface NotificationDeps {
  ds: DataSource;
  mailer: Mailer;
  config: Config;
  tenancy: () => Promise<CompiledTenancy>;
  log: Logger;
}

export type SendOutcome = 'sent' | 'held' | 'skipped' | 'failed';

interface NotificationRow {
  id: string;
  tenant_id: string | null;
  channel: 'arf' | 'digest' | 'fbl';
  /** An IP owner's feedback-loop subscription (channel fbl; docs/sender-data.md). */
  fbl_subscription_id: string | null;
  trigger: 'auto' | 'manual';
  recipients: string[];
  report_ids: string[];
  status: string;
  generation: number;
  created_at: Date;
}

/**
 * Sends one notification (the `send-notification` job). Claims it in a short transaction — the
 * tenant's pause and daily cap are checked there (automatic notifications only; an analyst's
 * "notify now" is a person's decision), a fresh response token is stored hashed — then composes
 * and mails it. A held notification gives its reports back to the tenant's next digest. Throws
 * on a send error so BullMQ retries with backoff; the last attempt marks it `failed`.
 */
export async function sendNotification(deps: NotificationDeps, id: string, opts: { finalAttempt: boolean }): Promise<SendOutcome> {
  const claim = await deps.ds.transaction(async (em) => {
    const [n]: NotificationRow[] = await em.query(`SELECT * FROM notifications WHERE id = $1 FOR UPDATE`, [id]);
    if (!n || n.status !== 'queued') return null;
    if (n.channel === 'fbl' && n.trigger === 'auto') {
      // An owner's FBL copy: the same daily cap per subscription; held copies are not sent later.
      const gate = n.fbl_subscription_id ? await fblGate(em, n.fbl_subscription_id, n.id, deps.config.NOTIFY_MAX_PER_DAY) : { open: false as const, reason: 'subscription removed' };
      if (!gate.open) {
        await em.query(`UPDATE notifications SET status = 'held', last_error = $2 WHERE id = $1`, [id, `held: ${gate.reason}`]);
        return 'held' as const;
      }
    } else if (n.tenant_id && n.trigger === 'auto') {
      const gate = await tenantGate(em, n.tenant_id, n.id, deps.config.NOTIFY_MAX_PER_DAY);
      if (!gate.open) {
        await em.query(`UPDATE notifications SET status = 'held', last_error = $2 WHERE id = $1`, [id, `held: ${gate.reason}`]);
        await em.query(`UPDATE notification_items SET notification_id = NULL, held = true WHERE notification_id = $1`, [id]);
        return 'held' as const;
      }
    }
    const token = newResponseToken();
    await em.query(
      `UPDATE notifications SET attempts = attempts + 1, attempted_at = now(), token_hash = $2, token_expires_at = $3 WHERE id = $1`,
      [id, token.hash, token.expiresAt],
    );
    return { n, token: token.token };
  });
  if (claim === null) return 'skipped';
  if (claim === 'held') return 'held';
  const { n, token } = claim;

  let mail: OutgoingMail | null;
  try {
    mail = await compose(deps, n, token);
  } catch (err) {
    await fail(deps, id, `cannot compose: ${(err as Error).message}`, true);
    return 'failed';
  }
  if (!mail) {
    await fail(deps, id, 'the reported message is no longer stored (retention)', true);
    return 'failed';
  }
  try {
    const sent = await deps.mailer.send(mail);
    await deps.ds.query(`UPDATE notifications SET status = 'sent', sent_at = now(), message_id = $2, last_error = NULL WHERE id = $1`, [id, sent.messageId]);
    return 'sent';
  } catch (err) {
    await fail(deps, id, (err as Error).message, opts.finalAttempt);
    throw err;
  }
}

async function fail(deps: NotificationDeps, id: string, error: string, final: boolean): Promise<void> {
  await deps.ds.query(
    `UPDATE notifications SET last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END WHERE id = $1 AND status = 'queued'`,
    [id, error.slice(0, 2000), final],
  );
}

async function compose(deps: NotificationDeps, n: NotificationRow, token: string): Promise<OutgoingMail | null> {
  const tenancy = await deps.tenancy();
  const tenantName = (n.tenant_id && tenancy.tenantById.get(n.tenant_id)?.name) || n.tenant_id || 'abuse desk';
  const link = responseUrl(deps.config, token);
  const messageId = notificationMessageId(deps.config, n.id, n.generation);
  if (n.channel === 'fbl') return composeFbl(deps.ds, deps.config, n, messageId);
  if (n.channel === 'arf') {
    const r = await loadReportedMessage(deps.ds, n.report_ids[0]!);
    if (!r?.message) return null;
    const base = { sourceIp: r.sourceIp, receivedAt: r.receivedAt, feedbackType: r.feedbackType, responseUrl: link, tenantName };
    return reportedArfMail(deps.config, { ...r, message: r.message }, {
      to: n.recipients,
      messageId,
      subject: `Abuse report about mail from ${tenantName}${r.sourceIp ? ` (${r.sourceIp})` : ''}`,
      humanText: (attachedReason) => arfHumanText({ ...base, attachedReason }),
    });
  }
  const items = await digestItems(deps.ds, n);
  const digest = composeDigest({ tenantName, items, responseUrl: link, since: items[0]?.receivedAt ?? null, until: new Date(), maxPerDay: deps.config.NOTIFY_MAX_PER_DAY });
  await deps.ds.query(`UPDATE notifications SET held_count = $2 WHERE id = $1`, [n.id, digest.heldCount]);
  return {
    to: n.recipients,
    subject: digest.subject,
    text: digest.text,
    messageId,
    attachments: [{ filename: 'reports.csv', content: digest.csv, contentType: 'text/csv; charset=utf-8' }],
  };
}

async function digestItems(ds: DataSource, n: NotificationRow): Promise<DigestItem[]> {
  const rows: { id: string; received_at: Date; originating_ip: string | null; relay_ip: string | null; feedback_type: string | null; tenant_confidence: string | null; subject: string | null; message_id: string | null; from_domain: string | null; held: boolean | null }[] =
    await ds.query(
      `SELECT r.id, r.received_at, host(r.originating_ip) AS originating_ip, host(r.relay_ip) AS relay_ip, r.feedback_type, r.tenant_confidence,
              r.subject, r.message_id, r.from_domain, i.held
         FROM reports r LEFT JOIN notification_items i ON i.report_id = r.id AND i.notification_id = $2
        WHERE r.id = ANY($1::uuid[]) ORDER BY r.received_at, r.id`,
      [n.report_ids, n.id],
    );
  return rows.map((r) => ({
    reportId: r.id, receivedAt: r.received_at, originatingIp: r.originating_ip, relayIp: r.relay_ip, feedbackType: r.feedback_type,
    tenantConfidence: r.tenant_confidence, subject: r.subject, messageId: r.message_id, fromDomain: r.from_domain, held: r.held ?? false,
  }));
}
