import type { EntityManager } from 'typeorm';
import { AppError } from '../../errors/app-error.ts';
import { TRUST_LEVELS } from '../../trust/reporter-trust.ts';

/**
 * An analyst's merge: campaign `from` joins `into` — its reports, exemplars, bucket keys, reporters,
 * hourly counts and facets move, the counters of `into` are recomputed from the moved rows, and `from`
 * stays as a redirect (`merged_into`). Both campaign rows are locked first, in id order, like the
 * worker locks them, so a merge and a worker's batch queue instead of deadlocking; a worker that had
 * picked `from` as a candidate moves its reports on when it finds the redirect (campaign-counters.ts).
 */
export async function mergeCampaigns(em: EntityManager, into: string, from: string): Promise<void> {
  if (into === from) throw new AppError('validation_failed', 'a campaign cannot be merged into itself', { problems: [{ field: 'from', message: 'same campaign' }] });
  const locked: { id: string; merged_into: string | null }[] = await em.query(
    `SELECT id::text AS id, merged_into::text AS merged_into FROM campaigns WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`, [[into, from]]);
  for (const id of [into, from]) {
    const row = locked.find((l) => l.id === id);
    if (!row) throw new AppError('not_found', `no campaign ${id}`);
    if (row.merged_into) throw new AppError('conflict', `campaign ${id} was already merged into ${row.merged_into}`, { mergedInto: row.merged_into });
  }
  const p = [into, from];
  await em.query(`UPDATE reports SET campaign_id = $1 WHERE campaign_id = $2`, p);
  await em.query(`UPDATE campaign_exemplars SET campaign_id = $1 WHERE campaign_id = $2`, p);
  await em.query(`INSERT INTO campaign_keys (key, campaign_id) SELECT key, $1 FROM campaign_keys WHERE campaign_id = $2 ORDER BY key ON CONFLICT DO NOTHING`, p);
  await em.query(`DELETE FROM campaign_keys WHERE campaign_id = $1`, [from]);
  await em.query(`INSERT INTO campaign_reporters (campaign_id, trust, reporter) SELECT $1, trust, reporter FROM campaign_reporters WHERE campaign_id = $2 ORDER BY trust, reporter ON CONFLICT DO NOTHING`, p);
  await em.query(`DELETE FROM campaign_reporters WHERE campaign_id = $1`, [from]);
  await em.query(
    `INSERT INTO campaign_hourly (campaign_id, hour, n) SELECT $1, hour, n FROM campaign_hourly WHERE campaign_id = $2 ORDER BY hour
     ON CONFLICT (campaign_id, hour) DO UPDATE SET n = campaign_hourly.n + EXCLUDED.n`, p);
  await em.query(`DELETE FROM campaign_hourly WHERE campaign_id = $1`, [from]);
  await em.query(
    `INSERT INTO campaign_facets (campaign_id, kind, value, reports, last_seen)
     SELECT $1, kind, value, reports, last_seen FROM campaign_facets WHERE campaign_id = $2 ORDER BY kind, value
     ON CONFLICT (campaign_id, kind, value) DO UPDATE
       SET reports = campaign_facets.reports + EXCLUDED.reports, last_seen = greatest(campaign_facets.last_seen, EXCLUDED.last_seen)`, p);
  await em.query(`DELETE FROM campaign_facets WHERE campaign_id = $1`, [from]);
  await em.query(
    `UPDATE campaigns a SET reports = a.reports + b.reports, first_seen = least(a.first_seen, b.first_seen), last_seen = greatest(a.last_seen, b.last_seen),
            ${TRUST_LEVELS.map((t) => `reporters_${t} = (SELECT count(*) FROM campaign_reporters WHERE campaign_id = $1 AND trust = '${t}')`).join(', ')}
       FROM campaigns b WHERE a.id = $1 AND b.id = $2`, p);
  await em.query(
    `UPDATE campaigns SET merged_into = $1, reports = 0, ${TRUST_LEVELS.map((t) => `reporters_${t} = 0`).join(', ')} WHERE id = $2`, p);
  // Earlier merges into `from` now redirect to `into` directly.
  await em.query(`UPDATE campaigns SET merged_into = $1 WHERE merged_into = $2`, p);
}
