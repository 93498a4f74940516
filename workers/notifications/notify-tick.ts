import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CompiledTenancy } from '../../shared/tenancy/compiled-tenancy.ts';
import { tenantNotify } from '../../shared/notifications/tenant-policies.ts';
import type { OutboxDispatcher } from '../../shared/webhooks/outbox-dispatch.ts';
import { dispatchAfterCommit } from '../../shared/webhooks/outbox-dispatch.ts';
import { tenantGate } from './notification-gates.ts';

export interface TickDeps {
  ds: DataSource;
  tenancy: () => Promise<CompiledTenancy>;
  dispatcher: OutboxDispatcher;
  maxPerDay: number;
  /** Seconds a `queued` notification may wait before the sweep enqueues it again. @defaultValue 30 */
  sweepAfterSeconds?: number;
}

export interface TickResult {
  digests: string[];
  swept: number;
}

/** Most reports in one digest; the rest go into the next one. */
const MAX_DIGEST_ITEMS = 5000;

/**
 * The scheduled `notify-tick`: (1) sends each tenant its digest when one is due — pending reports
 * (digest mode, or held back by the cap or a pause) and `digestEvery` passed since the last digest
 * (or since the oldest pending report) — unless the tenant is paused or at its daily cap; (2) the
 * outbox sweep: enqueues notifications left `queued` (a crash between COMMIT and enqueue, or Redis
 * down then). `now` is injectable so tests need not wait an hour.
 */
export async function notifyTick(deps: TickDeps, now: Date = new Date()): Promise<TickResult> {
  const pending: { tenant_id: string; oldest: Date; last_digest_at: Date | null }[] = await deps.ds.query(
    `SELECT i.tenant_id, min(i.created_at) AS oldest, s.last_digest_at
       FROM notification_items i LEFT JOIN notify_state s ON s.tenant_id = i.tenant_id
      WHERE i.notification_id IS NULL GROUP BY i.tenant_id, s.last_digest_at`,
  );
  const tenancy = await deps.tenancy();
  const digests: string[] = [];
  for (const p of pending) {
    const { policy, recipients } = tenantNotify(tenancy, p.tenant_id);
    if (recipients.length === 0 || policy.mode === 'off') continue; // notifications turned off since: nothing is sent
    const from = p.last_digest_at ?? p.oldest;
    if (now.getTime() - from.getTime() < policy.digestEvery) continue;
    const id = await deps.ds.transaction(async (em) => {
      const gate = await tenantGate(em, p.tenant_id, '00000000-0000-0000-0000-000000000000', deps.maxPerDay);
      if (!gate.open) return null;
      const items: { report_id: string }[] = await em.query(
        `SELECT report_id FROM notification_items WHERE tenant_id = $1 AND notification_id IS NULL ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [p.tenant_id, MAX_DIGEST_ITEMS],
      );
      if (items.length === 0) return null;
      const nid = randomUUID();
      const reportIds = items.map((i) => i.report_id);
      await em.query(`INSERT INTO notifications (id, tenant_id, channel, recipients, report_ids) VALUES ($1, $2, 'digest', $3, $4::uuid[])`, [nid, p.tenant_id, recipients, reportIds]);
      await em.query(`UPDATE notification_items SET notification_id = $1 WHERE tenant_id = $2 AND report_id = ANY($3::uuid[])`, [nid, p.tenant_id, reportIds]);
      await em.query(
        `INSERT INTO notify_state (tenant_id, last_digest_at) VALUES ($1, $2) ON CONFLICT (tenant_id) DO UPDATE SET last_digest_at = $2`,
        [p.tenant_id, now],
      );
      dispatchAfterCommit(em, { notifications: [nid] });
      return nid;
    });
    if (id) digests.push(id);
  }
  const stale: { id: string }[] = await deps.ds.query(
    `SELECT id FROM notifications WHERE status = 'queued' AND created_at < $1::timestamptz - make_interval(secs => $2) ORDER BY created_at LIMIT 1000`,
    [now, deps.sweepAfterSeconds ?? 30],
  );
  if (stale.length) await deps.dispatcher.notifications(stale.map((s) => s.id));
  return { digests, swept: stale.length };
}
