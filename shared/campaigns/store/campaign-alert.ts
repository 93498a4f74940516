import type { EntityManager } from 'typeorm';
import type { Logger } from '../../logger.ts';
import type { TouchedCampaign } from './campaign-counters.ts';

/**
 * `campaign.detected`: a campaign that reaches `threshold` reports within one hour (the hour up to
 * its latest report in this batch), once per campaign. Recorded in `campaign_events` in the report's
 * transaction — the webhook machinery (branch issue-15) is not on main yet; when it lands, this is
 * the one place that hands the event to its recording helper instead (docs/campaigns.md).
 */
export async function recordDetections(em: EntityManager, touched: TouchedCampaign[], threshold: number, log?: Logger): Promise<string[]> {
  // Cheap filter first: the total must already be past the threshold for the last hour to be.
  const due = touched.filter((t) => !t.alerted && t.reports >= threshold);
  if (due.length === 0) return [];
  const rows: { id: string; n: number; subject: string | null; first_seen: Date }[] = await em.query(
    `SELECT c.id::text AS id, w.n, c.subject, c.first_seen
       FROM unnest($1::bigint[], $2::timestamptz[]) AS v(id, latest)
       JOIN campaigns c ON c.id = v.id
       CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM (
           SELECT 1 FROM reports r WHERE r.campaign_id = v.id AND r.received_at > v.latest - interval '1 hour' AND r.received_at <= v.latest
            LIMIT $3) x) w
      WHERE w.n >= $3`,
    [due.map((d) => d.id), due.map((d) => d.latest), threshold],
  );
  if (rows.length === 0) return [];
  const inserted: { campaign_id: string }[] = await em.query(
    `INSERT INTO campaign_events (campaign_id, type, payload)
     SELECT id, 'campaign.detected', p FROM unnest($1::bigint[], $2::jsonb[]) AS v(id, p) ORDER BY id
     ON CONFLICT (campaign_id, type) DO NOTHING RETURNING campaign_id::text AS campaign_id`,
    [rows.map((r) => r.id), rows.map((r) => JSON.stringify({ campaignId: r.id, reportsLastHour: r.n, threshold, firstSeen: r.first_seen.toISOString(), subject: r.subject }))],
  );
  const ids = inserted.map((i) => i.campaign_id);
  if (ids.length) {
    await em.query(`UPDATE campaigns SET alerted_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
    log?.info({ campaigns: ids, threshold }, 'campaign.detected');
  }
  return ids;
}
