import { AppError } from '../../shared/errors/app-error.ts';
import { returningRows } from '../../shared/db/returning-rows.ts';
import type { ApiContext } from '../context.ts';
import { recordAction } from './audit.ts';

/**
 * A tenant's notifications paused or resumed by an analyst: behind
 * `POST /v1/tenants/:id/notifications/pause|resume` and the tenant page's form. Only a change is
 * written and audited; returns whether the state changed (false: it already was so).
 */
export async function setNotificationsPaused(ds: ApiContext['ds'], tenant: string, paused: boolean, reason: string | null, actor: string): Promise<boolean> {
  return ds.transaction(async (em) => {
    const changed = returningRows<{ tenant_id: string }>(await em.query(
      paused
        ? `INSERT INTO notify_state (tenant_id, paused_at, paused_by) VALUES ($1, now(), $2)
           ON CONFLICT (tenant_id) DO UPDATE SET paused_at = EXCLUDED.paused_at, paused_by = EXCLUDED.paused_by
            WHERE notify_state.paused_at IS NULL RETURNING tenant_id`
        : `UPDATE notify_state SET paused_at = NULL, paused_by = $2 WHERE tenant_id = $1 AND paused_at IS NOT NULL RETURNING tenant_id`,
      [tenant, actor],
    ));
    if (changed.length) {
      await recordAction(em, { actor, action: paused ? 'notifications.pause' : 'notifications.resume', subject: { kind: 'tenant', key: tenant }, reason });
    }
    return changed.length > 0;
  });
}

/**
 * A failed (or held) notification sent again: attempts start over, and a new generation gives the
 * mail a new Message-ID. A held one is taken out of the next digest it was waiting for. Behind
 * `POST /v1/notifications/:id/retry` and the re-drive buttons of the UI; 409 when it is neither.
 */
export async function redriveNotification(ctx: Pick<ApiContext, 'ds' | 'outbox' | 'log'>, id: string, reason: string | null, actor: string): Promise<{ tenant: string | null }> {
  const rows = await ctx.ds.transaction(async (em) => {
    const [was]: { status: string; tenant_id: string | null }[] = await em.query(`SELECT status, tenant_id FROM notifications WHERE id = $1 FOR UPDATE`, [id]);
    if (!was || (was.status !== 'failed' && was.status !== 'held')) return [];
    await em.query(
      `UPDATE notifications SET status = 'queued', attempts = 0, generation = generation + 1, last_error = NULL, trigger = 'manual' WHERE id = $1`,
      [id],
    );
    await em.query(`UPDATE notification_items SET notification_id = $1, held = false WHERE report_id IN (SELECT unnest(report_ids) FROM notifications WHERE id = $1) AND notification_id IS NULL AND tenant_id = (SELECT tenant_id FROM notifications WHERE id = $1)`, [id]);
    await recordAction(em, { actor, action: 'notification.redrive', subject: { kind: 'notification', key: id }, reason, detail: { tenant: was.tenant_id, was: was.status } });
    return [was];
  });
  if (rows.length === 0) throw new AppError('conflict', `notification ${id} does not exist or is not failed or held`);
  await ctx.outbox?.redriveNotification(id).catch((err: Error) => ctx.log.warn({ err: err.message }, 'notification re-drive not queued; the sweep will'));
  return { tenant: rows[0]!.tenant_id };
}
