import type { EntityManager } from 'typeorm';
import { AppError } from '../../errors/app-error.ts';
import type { ContentFeatures } from '../content-features.ts';
import { commitCampaigns, exemplarEntries } from './campaign-commit.ts';

/**
 * An analyst's split: one report leaves its campaign for a new campaign of its own. The old campaign's
 * counters lose that report (distinct reporters are recounted from the reports it keeps), its exemplar of the report goes, and its bucket keys are rebuilt from
 * the exemplars left. The report then takes the worker's own path into a new campaign
 * (campaign_commit), seeded by `features` (recomputed from the raw message); without them (raw removed
 * by retention) the new campaign has no exemplar, so no later report joins it.
 */
export async function splitReport(em: EntityManager, campaignId: string, reportId: string, features: ContentFeatures | null): Promise<string> {
  const [campaign]: { reports: number; merged_into: string | null }[] = await em.query(
    `SELECT reports, merged_into::text AS merged_into FROM campaigns WHERE id = $1 FOR UPDATE`, [campaignId]);
  if (!campaign) throw new AppError('not_found', `no campaign ${campaignId}`);
  if (campaign.merged_into) throw new AppError('conflict', `campaign ${campaignId} was merged into ${campaign.merged_into}`, { mergedInto: campaign.merged_into });
  const [r]: { id: string; submission_id: string; idx: number; subject: string | null; received_at: Date; reporter: string | null; reporter_trust: string;
    relay_ip: string | null; originating_ip: string | null; tenant_id: string | null }[] = await em.query(
    `SELECT id::text AS id, submission_id::text AS submission_id, idx, subject, received_at, reporter, reporter_trust,
            host(relay_ip) AS relay_ip, host(originating_ip) AS originating_ip, tenant_id
       FROM reports WHERE id = $1 AND campaign_id = $2 FOR UPDATE`, [reportId, campaignId]);
  if (!r) throw new AppError('not_found', `report ${reportId} is not in campaign ${campaignId}`);
  if (campaign.reports <= 1) throw new AppError('conflict', `report ${reportId} is the only report of campaign ${campaignId}`);

  const domains = features?.urlDomains ?? [];
  await em.query(`UPDATE reports SET campaign_id = NULL WHERE id = $1`, [reportId]);
  await em.query(`UPDATE campaigns SET reports = reports - 1 WHERE id = $1`, [campaignId]);
  await em.query(`UPDATE campaign_hourly SET n = n - 1 WHERE campaign_id = $1 AND hour = date_trunc('hour', $2::timestamptz, 'UTC')`, [campaignId, r.received_at]);
  const facets = [['relay_ip', r.relay_ip], ['orig_ip', r.originating_ip], ['tenant', r.tenant_id], ...domains.map((d) => ['url_domain', d])].filter((f) => f[1] !== null) as string[][];
  await em.query(
    `UPDATE campaign_facets f SET reports = f.reports - 1 FROM unnest($2::text[], $3::text[]) AS v(kind, value)
      WHERE f.campaign_id = $1 AND f.kind = v.kind AND f.value = v.value`, [campaignId, facets.map((f) => f[0]), facets.map((f) => f[1])]);
  await em.query(`DELETE FROM campaign_facets WHERE campaign_id = $1 AND reports <= 0`, [campaignId]);
  await em.query(`DELETE FROM campaign_hourly WHERE campaign_id = $1 AND n <= 0`, [campaignId]);
  // Distinct reporters: recounted from the reports the campaign keeps.
  await em.query(`SELECT campaign_recount_reporters(ARRAY[$1::bigint])`, [campaignId]);
  await dropExemplar(em, campaignId, `${r.submission_id}/${r.idx}`);

  const usable = features && features.judge !== 'none' ? features : null;
  const key = `${r.submission_id}/${r.idx}`;
  const result = await commitCampaigns(em, {
    create: [{ ref: 'new:0', at: r.received_at.toISOString(), subject: r.subject, stem: usable?.subjectStem ?? '', judge: usable?.judge === 'text' ? 'text' : 'short' }],
    ...(usable ? exemplarEntries([{ campaign: 'new:0', reportKey: key, features: usable }]) : { exemplars: [], keys: [] }),
    assign: [{ submission_id: r.submission_id, idx: r.idx, campaign: 'new:0', domains }],
    inserted: [reportId],
    url_domains: [],
    alert: 2_147_483_647,
  });
  return String(result.created['new:0']);
}

/** Removes the report's exemplar from the campaign, if it was one, and rebuilds the campaign's keys from the rest. */
async function dropExemplar(em: EntityManager, c: string, reportKey: string): Promise<void> {
  const gone: { id: string }[] = await em.query(`WITH d AS (DELETE FROM campaign_exemplars WHERE campaign_id = $1 AND report_key = $2 RETURNING id) SELECT id FROM d`, [c, reportKey]);
  if (gone.length === 0) return;
  await em.query(`DELETE FROM campaign_keys WHERE campaign_id = $1`, [c]);
  await em.query(
    `INSERT INTO campaign_keys (key, campaign_id) SELECT k.key::bigint, $1 FROM unnest($2::text[]) AS k(key) ORDER BY 1 ON CONFLICT DO NOTHING`,
    [c, await remainingKeys(em, c)]);
}

async function remainingKeys(em: EntityManager, c: string): Promise<string[]> {
  const rest: { judge: 'text' | 'short'; signature: Buffer | null; exact: string | null; url_domains: string[]; subject_stem: string }[] = await em.query(
    `SELECT judge, signature, exact, url_domains, subject_stem FROM campaign_exemplars WHERE campaign_id = $1`, [c]);
  const entries = exemplarEntries(rest.map((e) => ({
    campaign: c,
    reportKey: null,
    features: { judge: e.judge, tokens: 0, shingles: 0, signature: e.signature?.toString('hex') ?? null, exact: e.exact, urlDomains: e.url_domains, subjectStem: e.subject_stem },
  })));
  return entries.keys.map((k) => k.key);
}
