import type { EntityManager } from 'typeorm';
import type { AnalyzedReport } from '../../shared/analysis/types.ts';
import { bucketKeys } from '../../shared/campaigns/bucket-keys.ts';
import { planAssignments, type PlanInput } from '../../shared/campaigns/plan-assignments.ts';
import type { Logger } from '../../shared/logger.ts';
import { loadCandidates } from '../../shared/campaigns/store/campaign-candidates.ts';
import { addExemplars, createCampaigns, setReportCampaigns } from '../../shared/campaigns/store/campaign-writes.ts';
import { countUrlDomains, updateCounters } from '../../shared/campaigns/store/campaign-counters.ts';
import { recordDetections } from '../../shared/campaigns/store/campaign-alert.ts';

/** One report of the transaction, by its place in its submission, and what the analysis found in it. */
export interface CampaignItem {
  submissionId: string;
  idx: number;
  report: AnalyzedReport;
  receivedAt: Date;
}

/** The report's name while planning (its id is not known from the analysis): `submission/idx`. */
export function itemKey(i: { submissionId: string; idx: number }): string {
  return `${i.submissionId}/${i.idx}`;
}

export interface CampaignContext {
  /** Reports within one hour that make a campaign `detected` (CAMPAIGN_ALERT_REPORTS). */
  alertReports: number;
  log?: Logger;
  /** Count every item's URL domains in url_domain_hourly. @defaultValue true (the backfill counts only what it assigns) */
  countUrlDomains?: boolean;
}

/**
 * Only one transaction at a time creates campaigns: a lock id of our own (ASCII "campaign").
 * Joining existing campaigns needs no such lock; creating one does, or two batches racing on the
 * first copies of a new spam would each create a campaign for it.
 */
/** Without configuration (tests, tools): the documented default of CAMPAIGN_ALERT_REPORTS. */
export const DEFAULT_CAMPAIGN_CONTEXT: CampaignContext = Object.freeze({ alertReports: 100 });

export const CREATE_LOCK = 0x63616d706169676en;

/**
 * The campaign step of the worker's commit: assigns the reports this transaction inserted (and only
 * those: a redelivery inserts none, and `reports.campaign_id IS NULL` guards the update) to campaigns,
 * creating campaigns for what matches none, and keeps the counters. Set-based: a fixed number of
 * statements per batch, whatever its size. Returns report id → campaign id.
 */
export async function assignCampaigns(
  em: EntityManager,
  items: readonly CampaignItem[],
  insertedIds: readonly string[],
  ctx: CampaignContext,
): Promise<Map<string, string>> {
  const inputs: PlanInput[] = [];
  const keys: string[] = [];
  for (const i of items) {
    const f = i.report.content;
    if (!f || f.judge === 'none') continue;
    inputs.push({ reportId: itemKey(i), features: f });
    for (const k of bucketKeys(f)) keys.push(k.key);
  }
  if (ctx.countUrlDomains !== false) await countUrlDomains(em, items.filter((i) => i.report.content?.urlDomains.length).map((i) => ({ at: i.receivedAt, domains: i.report.content!.urlDomains })));
  if (inputs.length === 0) return new Map();


  let candidates = await loadCandidates(em, keys);
  let plan = planAssignments(inputs, candidates.exemplars, candidates.counts);
  if (plan.created.length > 0) {
    // Someone may have created the campaign since we looked: look again once we are the only creator.
    await em.query(`SELECT pg_advisory_xact_lock($1)`, [CREATE_LOCK.toString()]);
    candidates = await loadCandidates(em, keys);
    plan = planAssignments(inputs, candidates.exemplars, candidates.counts);
  }

  const byReport = new Map(items.map((i) => [itemKey(i), i]));
  const ids = await createCampaigns(em, plan.created.map((c) => ({ subject: byReport.get(c.reportId)!.report.subject, features: c.features, at: byReport.get(c.reportId)!.receivedAt })));
  const refs = new Map(plan.created.map((c, k) => [c.ref, ids[k]!]));
  const resolve = (id: string) => refs.get(id) ?? id;
  await addExemplars(em, [
    ...plan.created.map((c) => ({ campaignId: resolve(c.ref), reportKey: c.reportId, features: c.features })),
    ...plan.exemplars.map((e) => ({ campaignId: resolve(e.campaignId), reportKey: e.reportId, features: e.features })),
  ]);
  const assignments = [...plan.assignments].map(([reportId, c]): [string, string] => [reportId, resolve(c)]);
  const assigned = await setReportCampaigns(em, assignments, insertedIds);
  const domains = new Map(inputs.map((i) => [i.reportId, i.features.urlDomains]));
  // Counters read the facts back from the updated rows; URL domains come from the features.
  const touched = await updateCounters(em, assigned, domains);
  await recordDetections(em, touched, ctx.alertReports, ctx.log);
  return new Map(assigned.map((a) => [a.id, a.campaign_id]));
}
