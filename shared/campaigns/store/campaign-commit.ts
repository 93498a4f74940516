import type { EntityManager } from 'typeorm';
import { bucketKeys } from '../bucket-keys.ts';
import type { ContentFeatures } from '../content-features.ts';
import type { Plan } from '../plan-assignments.ts';
import { TRUST_LEVELS, trustAtLeast, type ReporterTrust } from '../../trust/reporter-trust.ts';

/**
 * What `campaign_commit` (migration 1764420000002) writes, built from a plan: the campaigns to create,
 * the exemplars and their bucket keys, the reports to assign (by submission and index, with their URL
 * domains for the facets), the ids this transaction inserted (nothing else is touched), URL domain
 * counts, and the alert threshold with the trust levels it counts. One round trip; the function returns what it did.
 */
export interface CommitPayload {
  create: { ref: string; at: string; subject: string | null; stem: string; judge: 'text' | 'short' }[];
  exemplars: { campaign: string; report_key: string | null; judge: 'text' | 'short'; signature: string | null; exact: string | null; domains: string[]; stem: string }[];
  keys: { key: string; campaign: string }[];
  assign: { submission_id: string; idx: number; campaign: string; domains: string[] }[];
  inserted: string[];
  url_domains: { hour: string; domain: string; n: number }[];
  /** Count the URL domains of the reports assigned here (the backfill) instead of `url_domains`. */
  count_assigned_domains?: boolean;
  alert: number;
  /** Trust levels whose reports count toward `alert` (≥ REPUTATION_MIN_TRUST: strangers cannot raise an alert); absent: all. */
  alert_trusts?: ReporterTrust[];
}

export interface CommitResult {
  /** [report id, campaign id] of each report assigned. */
  assigned: [string, string][];
  /** `new:k` → campaign id. */
  created: Record<string, number>;
  /** Campaigns that became `campaign.detected` in this transaction. */
  detected: number[];
}

const judgeOf = (f: ContentFeatures): 'text' | 'short' => (f.judge === 'text' ? 'text' : 'short');

export function exemplarEntries(items: { campaign: string; reportKey: string | null; features: ContentFeatures }[]): Pick<CommitPayload, 'exemplars' | 'keys'> {
  const keys = new Map<string, { key: string; campaign: string }>();
  for (const i of items) for (const k of bucketKeys(i.features)) keys.set(`${k.key}/${i.campaign}`, { key: k.key, campaign: i.campaign });
  return {
    exemplars: items.map((i) => ({
      campaign: i.campaign, report_key: i.reportKey, judge: judgeOf(i.features), signature: i.features.signature, exact: i.features.exact,
      domains: i.features.urlDomains, stem: i.features.subjectStem,
    })),
    keys: [...keys.values()],
  };
}

/** The payload of a plan for reports named `submission/idx`. */
export function payloadOf(
  plan: Plan,
  reports: ReadonlyMap<string, { subject: string | null; receivedAt: Date; features: ContentFeatures }>,
  insertedIds: readonly string[],
  alert: number,
  alertMinTrust: ReporterTrust,
): CommitPayload {
  const r = (key: string) => reports.get(key)!;
  return {
    create: plan.created.map((c) => ({ ref: c.ref, at: r(c.reportId).receivedAt.toISOString(), subject: r(c.reportId).subject, stem: c.features.subjectStem, judge: judgeOf(c.features) })),
    ...exemplarEntries([
      ...plan.created.map((c) => ({ campaign: c.ref, reportKey: c.reportId, features: c.features })),
      ...plan.exemplars.map((e) => ({ campaign: e.campaignId, reportKey: e.reportId, features: e.features })),
    ]),
    assign: [...plan.assignments].map(([key, campaign]) => {
      const [submission_id, idx] = key.split('/');
      return { submission_id: submission_id!, idx: Number(idx), campaign, domains: r(key).features.urlDomains };
    }),
    inserted: [...insertedIds],
    url_domains: [],
    alert,
    alert_trusts: TRUST_LEVELS.filter((t) => trustAtLeast(t, alertMinTrust)),
  };
}

/** Reports per hour and domain, for `url_domains`. */
export function urlDomainCounts(items: { at: Date; domains: readonly string[] }[]): CommitPayload['url_domains'] {
  const counts = new Map<string, { hour: string; domain: string; n: number }>();
  for (const i of items) {
    const h = new Date(i.at);
    h.setUTCMinutes(0, 0, 0);
    const hour = h.toISOString();
    for (const domain of i.domains) {
      const k = `${hour}|${domain}`;
      const c = counts.get(k);
      if (c) c.n++;
      else counts.set(k, { hour, domain, n: 1 });
    }
  }
  return [...counts.values()];
}

export async function commitCampaigns(em: EntityManager, payload: CommitPayload): Promise<CommitResult> {
  const [row]: { r: CommitResult }[] = await em.query(`SELECT campaign_commit($1::jsonb) AS r`, [JSON.stringify(payload)]);
  return row!.r;
}
