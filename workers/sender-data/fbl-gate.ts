import type { EntityManager } from 'typeorm';

/**
 * Whether an FBL copy may go out now: the subscription is still active, and fewer than
 * `maxPerDay` copies went to it in the last 24 h (NOTIFY_MAX_PER_DAY, as for a tenant). Under a
 * per-subscription advisory lock, so two jobs cannot both take the last slot. Past the cap a copy
 * is `held` and not sent later: a feedback loop reports complaints as they come, it has no digest.
 */
export async function fblGate(em: EntityManager, subscriptionId: string, selfId: string, maxPerDay: number): Promise<{ open: true } | { open: false; reason: string }> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('abuse-intake:fbl:' || $1))`, [subscriptionId]);
  const [sub]: { status: string }[] = await em.query(`SELECT status FROM sender_fbl_subscriptions WHERE id = $1`, [subscriptionId]);
  if (sub?.status !== 'active') return { open: false, reason: 'subscription no longer active' };
  const [{ n }]: [{ n: number }] = await em.query(
    `SELECT count(*)::int AS n FROM notifications
      WHERE fbl_subscription_id = $1 AND id <> $2
        AND ((status = 'sent' AND sent_at > now() - interval '24 hours') OR (status = 'queued' AND attempted_at > now() - interval '24 hours'))`,
    [subscriptionId, selfId],
  );
  return n >= maxPerDay ? { open: false, reason: `daily cap of ${maxPerDay} reached` } : { open: true };
}
