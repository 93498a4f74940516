import type { EntityManager } from 'typeorm';

/**
 * Whether a tenant may be mailed now: not paused, and fewer than `maxPerDay` notification mails
 * sent (or being attempted) in the last 24 h. Call inside the claim's transaction: a per-tenant
 * advisory lock serialises concurrent sends, so two jobs cannot both take the last slot.
 */
export async function tenantGate(em: EntityManager, tenantId: string, selfId: string, maxPerDay: number): Promise<{ open: true } | { open: false; reason: string }> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('abuse-intake:notify:' || $1))`, [tenantId]);
  const [state]: { paused_at: Date | null }[] = await em.query(`SELECT paused_at FROM notify_state WHERE tenant_id = $1`, [tenantId]);
  if (state?.paused_at) return { open: false, reason: 'paused' };
  const [{ n }]: [{ n: number }] = await em.query(
    `SELECT count(*)::int AS n FROM notifications
      WHERE tenant_id = $1 AND id <> $2 AND trigger = 'auto'
        AND ((status = 'sent' AND sent_at > now() - interval '24 hours') OR (status = 'queued' AND attempted_at > now() - interval '24 hours'))`,
    [tenantId, selfId],
  );
  return n >= maxPerDay ? { open: false, reason: `daily cap of ${maxPerDay} reached` } : { open: true };
}
