import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { TRUST_LEVELS, trustAtLeast, type ReporterTrust } from '../../shared/trust/reporter-trust.ts';
import { dispatchAfterCommit } from '../../shared/webhooks/outbox-dispatch.ts';

/**
 * The feedback loop for IP owners (JMRP-like), in the report's transaction: each complaint (not a
 * `not-spam`) trusted enough to move reputation (≥ REPUTATION_MIN_TRUST), about an originating IP
 * inside a verified range, becomes one `fbl` notification per active subscription of that range's
 * owner — the same outbox, worker, caps and delivery log as tenant notifications. The
 * `sender_fbl_items` key (report, subscription) makes it once, whatever redelivers or re-runs
 * (the report commit, and again when a report's trust is raised later).
 */
export async function recordOwnerFeedback(em: EntityManager, reportIds: string[], minTrust: ReporterTrust): Promise<string[]> {
  if (reportIds.length === 0) return [];
  const trusted = TRUST_LEVELS.filter((l) => trustAtLeast(l, minTrust));
  const due: { report_id: string; subscription_id: string; email: string }[] = await em.query(
    `SELECT DISTINCT r.id AS report_id, f.id AS subscription_id, f.email
       FROM reports r
       JOIN sender_ranges g ON g.status = 'verified' AND r.originating_ip <<= g.cidr
       JOIN sender_fbl_subscriptions f ON f.owner_id = g.owner_id AND f.status = 'active'
      WHERE r.id = ANY($1::uuid[]) AND r.originating_ip IS NOT NULL AND r.reporter_trust = ANY($2::text[])
        AND lower(coalesce(r.feedback_type, '')) <> 'not-spam'`,
    [reportIds, trusted],
  );
  if (due.length === 0) return [];
  const claimed: { report_id: string; subscription_id: string }[] = await em.query(
    `INSERT INTO sender_fbl_items (report_id, subscription_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])
     ON CONFLICT DO NOTHING RETURNING report_id, subscription_id`,
    [due.map((d) => d.report_id), due.map((d) => d.subscription_id)],
  );
  const emailOf = new Map(due.map((d) => [d.subscription_id, d.email]));
  const ids: string[] = [];
  for (const c of claimed) {
    const id = randomUUID();
    ids.push(id);
    await em.query(
      `INSERT INTO notifications (id, tenant_id, channel, recipients, report_ids, fbl_subscription_id) VALUES ($1, NULL, 'fbl', $2, $3::uuid[], $4)`,
      [id, [emailOf.get(c.subscription_id)!], [c.report_id], c.subscription_id],
    );
    await em.query(`UPDATE sender_fbl_items SET notification_id = $1 WHERE report_id = $2 AND subscription_id = $3`, [id, c.report_id, c.subscription_id]);
  }
  dispatchAfterCommit(em, { notifications: ids });
  return ids;
}
