import type { EntityManager } from 'typeorm';
import type { AnalyzedReport } from '../../shared/analysis/types.ts';
import { bucketKeys } from '../../shared/campaigns/bucket-keys.ts';
import type { ContentFeatures } from '../../shared/campaigns/content-features.ts';
import { planAssignments, type PlanInput } from '../../shared/campaigns/plan-assignments.ts';
import { loadCandidates } from '../../shared/campaigns/store/campaign-candidates.ts';
import { commitCampaigns, payloadOf, urlDomainCounts } from '../../shared/campaigns/store/campaign-commit.ts';
import type { Logger } from '../../shared/logger.ts';
import { recordEvents } from '../../shared/webhooks/record-event.ts';
import type { ReporterTrust } from '../../shared/trust/reporter-trust.ts';

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
  /** The least trust of a report that counts toward the alert (REPUTATION_MIN_TRUST). @defaultValue 'verified' */
  alertMinTrust?: ReporterTrust;
  log?: Logger;
  /** Count the URL domains of every item (true) or only of the reports assigned here (the backfill). @defaultValue true */
  countUrlDomains?: boolean;
}

/** Without configuration (tests, tools): the documented default of CAMPAIGN_ALERT_REPORTS. */
export const DEFAULT_CAMPAIGN_CONTEXT: CampaignContext = Object.freeze({ alertReports: 100 });

/**
 * The campaign step of the worker's commit: assigns the reports this transaction inserted (and only
 * those: a redelivery inserts none, and `reports.campaign_id IS NULL` guards the update) to campaigns,
 * creating campaigns for what matches none, and keeps the counters. Two round trips when every report
 * joins a campaign (candidates, commit), three when one is created: creating takes the create lock and
 * looks again, so two batches racing on the first copies of a new spam make one campaign, not two.
 * Returns report id → campaign id.
 */
export async function assignCampaigns(
  em: EntityManager,
  items: readonly CampaignItem[],
  insertedIds: readonly string[],
  ctx: CampaignContext,
): Promise<Map<string, string>> {
  const inputs: PlanInput[] = [];
  const keys: string[] = [];
  const reports = new Map<string, { subject: string | null; receivedAt: Date; features: ContentFeatures }>();
  for (const i of items) {
    const f = i.report.content;
    if (!f || f.judge === 'none') continue;
    inputs.push({ reportId: itemKey(i), features: f });
    reports.set(itemKey(i), { subject: i.report.subject, receivedAt: i.receivedAt, features: f });
    for (const k of bucketKeys(f)) keys.push(k.key);
  }
  const counted = ctx.countUrlDomains === false ? [] : items.filter((i) => i.report.content?.urlDomains.length);
  if (inputs.length === 0 && counted.length === 0) return new Map();

  let candidates = await loadCandidates(em, keys, false);
  let plan = planAssignments(inputs, candidates.exemplars, candidates.counts);
  if (plan.created.length > 0) {
    candidates = await loadCandidates(em, keys, true);
    plan = planAssignments(inputs, candidates.exemplars, candidates.counts);
  }
  const payload = payloadOf(plan, reports, insertedIds, ctx.alertReports, ctx.alertMinTrust ?? 'verified');
  payload.url_domains = urlDomainCounts(counted.map((i) => ({ at: i.receivedAt, domains: i.report.content!.urlDomains })));
  payload.count_assigned_domains = ctx.countUrlDomains === false;
  const result = await commitCampaigns(em, payload);
  if (result.detected.length) await announceDetections(em, result.detected, ctx);
  return new Map(result.assigned);
}

/**
 * `campaign.detected` reached the campaigns in `ids` in this transaction (campaign_commit recorded each
 * once in campaign_events): hand them to the webhook machinery, in the same transaction, and log them.
 */
async function announceDetections(em: EntityManager, ids: number[], ctx: CampaignContext): Promise<void> {
  const rows: { payload: { campaignId: string; reportsLastHour: number; threshold: number; firstSeen: string; subject: string | null } }[] = await em.query(
    `SELECT payload FROM campaign_events WHERE type = 'campaign.detected' AND campaign_id = ANY($1::bigint[]) ORDER BY campaign_id`, [ids]);
  await recordEvents(em, rows.map((r) => ({ type: 'campaign.detected' as const, payload: r.payload })));
  ctx.log?.info({ campaigns: ids, threshold: ctx.alertReports }, 'campaign.detected');
}
