import type { EntityManager } from 'typeorm';
import { AppError } from '../../errors/app-error.ts';
import { TRUST_LEVELS } from '../../trust/reporter-trust.ts';
import type { ContentFeatures } from '../content-features.ts';
import { addExemplars, addKeys, createCampaigns, type AssignedRow } from './campaign-writes.ts';
import { reporterDigest, updateCounters } from './campaign-counters.ts';

/**
 * An analyst's split: one report leaves its campaign for a new campaign of its own. The old campaign's
 * counters lose that report (its reporter too, when no other report of the campaign has the same
 * reporter at the same trust), its exemplar of the report goes, and its bucket keys are rebuilt from
 * the exemplars left. `features` (recomputed from the raw message) seeds the new campaign; without
 * them (raw removed by retention) the new campaign has no exemplar, so no later report joins it.
 */
export async function splitReport(em: EntityManager, campaignId: string, reportId: string, features: ContentFeatures | null): Promise<string> {
  const [campaign]: { reports: number; merged_into: string | null }[] = await em.query(
    `SELECT reports, merged_into::text AS merged_into FROM campaigns WHERE id = $1 FOR UPDATE`, [campaignId]);
  if (!campaign) throw new AppError('not_found', `no campaign ${campaignId}`);
  if (campaign.merged_into) throw new AppError('conflict', `campaign ${campaignId} was merged into ${campaign.merged_into}`, { mergedInto: campaign.merged_into });
  const [r]: (Omit<AssignedRow, 'key' | 'campaign_id'> & { submission_id: string; idx: number; subject: string | null })[] = await em.query(
    `SELECT id::text AS id, submission_id::text AS submission_id, idx, subject, received_at, reporter, reporter_trust,
            host(relay_ip) AS relay_ip, host(originating_ip) AS originating_ip, tenant_id
       FROM reports WHERE id = $1 AND campaign_id = $2 FOR UPDATE`, [reportId, campaignId]);
  if (!r) throw new AppError('not_found', `report ${reportId} is not in campaign ${campaignId}`);
  if (campaign.reports <= 1) throw new AppError('conflict', `report ${reportId} is the only report of campaign ${campaignId}`);

  const usable = features && features.judge !== 'none' ? features : null;
  const [newId] = await createCampaigns(em, [{ subject: r.subject, features: usable ?? { judge: 'short', tokens: 0, shingles: 0, signature: null, exact: null, urlDomains: [], subjectStem: '' }, at: r.received_at }]);
  await em.query(`UPDATE reports SET campaign_id = $1 WHERE id = $2`, [newId, reportId]);
  await removeFromCounters(em, campaignId, r, features?.urlDomains ?? []);
  await dropExemplar(em, campaignId, `${r.submission_id}/${r.idx}`);
  const key = `${r.submission_id}/${r.idx}`;
  if (usable) await addExemplars(em, [{ campaignId: newId!, reportKey: key, features: usable }]);
  await updateCounters(em, [{ ...r, key, campaign_id: newId! }], new Map([[key, features?.urlDomains ?? []]]));
  return newId!;
}

async function removeFromCounters(em: EntityManager, c: string, r: Omit<AssignedRow, 'key' | 'campaign_id'>, urlDomains: readonly string[]): Promise<void> {
  await em.query(`UPDATE campaigns SET reports = reports - 1 WHERE id = $1`, [c]);
  await em.query(`UPDATE campaign_hourly SET n = n - 1 WHERE campaign_id = $1 AND hour = date_trunc('hour', $2::timestamptz, 'UTC')`, [c, r.received_at]);
  const facets: [string, string][] = [['relay_ip', r.relay_ip], ['orig_ip', r.originating_ip], ['tenant', r.tenant_id], ...urlDomains.map((d): [string, string] => ['url_domain', d])]
    .filter((f): f is [string, string] => f[1] !== null);
  if (facets.length) {
    await em.query(
      `UPDATE campaign_facets f SET reports = f.reports - 1 FROM unnest($2::text[], $3::text[]) AS v(kind, value)
        WHERE f.campaign_id = $1 AND f.kind = v.kind AND f.value = v.value`, [c, facets.map((f) => f[0]), facets.map((f) => f[1])]);
  }
  await em.query(`DELETE FROM campaign_facets WHERE campaign_id = $1 AND reports <= 0`, [c]);
  await em.query(`DELETE FROM campaign_hourly WHERE campaign_id = $1 AND n <= 0`, [c]);
  if (!r.reporter) return;
  // Distinct reporters: the reporter stays counted while another of the campaign's reports names it.
  const [other] = await em.query(`SELECT 1 FROM reports WHERE campaign_id = $1 AND reporter = $2 AND reporter_trust = $3 LIMIT 1`, [c, r.reporter, r.reporter_trust]);
  if (other) return;
  await em.query(`DELETE FROM campaign_reporters WHERE campaign_id = $1 AND trust = $2 AND reporter = $3`, [c, r.reporter_trust, reporterDigest(r.reporter)]);
  await em.query(
    `UPDATE campaigns SET ${TRUST_LEVELS.map((t) => `reporters_${t} = (SELECT count(*) FROM campaign_reporters WHERE campaign_id = $1 AND trust = '${t}')`).join(', ')} WHERE id = $1`, [c]);
}

/** Removes the report's exemplar from the campaign, if it was one, and rebuilds the campaign's keys from the rest. */
async function dropExemplar(em: EntityManager, c: string, reportKey: string): Promise<void> {
  const gone = await em.query(`DELETE FROM campaign_exemplars WHERE campaign_id = $1 AND report_key = $2 RETURNING id`, [c, reportKey]);
  if ((Array.isArray(gone[0]) ? gone[0] : gone).length === 0) return;
  const rest: { judge: 'text' | 'short'; signature: Buffer | null; exact: string | null; url_domains: string[]; subject_stem: string }[] = await em.query(
    `SELECT judge, signature, exact, url_domains, subject_stem FROM campaign_exemplars WHERE campaign_id = $1`, [c]);
  await em.query(`DELETE FROM campaign_keys WHERE campaign_id = $1`, [c]);
  await addKeys(em, rest.map((e) => ({
    campaignId: c,
    features: { judge: e.judge, tokens: 0, shingles: 0, signature: e.signature?.toString('hex') ?? null, exact: e.exact, urlDomains: e.url_domains, subjectStem: e.subject_stem },
  })));
}
