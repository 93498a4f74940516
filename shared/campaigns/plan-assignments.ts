import { bestMatch, exemplarOf, probeOf, EXEMPLAR_BELOW, MAX_EXEMPLARS, NEW_PREFIX, type Exemplar } from './match.ts';
import type { ContentFeatures } from './content-features.ts';

/**
 * Decides, for the reports committed together, which campaign each joins — an existing one (by its
 * exemplars) or one created for it — and which reports become new exemplars. Pure and sequential
 * in input order: a report may join a campaign an earlier report of the same batch created, so a
 * burst of one spam in one batch is one campaign, not thirty-two.
 */

export interface PlanInput {
  reportId: string;
  features: ContentFeatures;
}

export interface PlannedCampaign {
  /** `new:k` until the writer gives it an id. */
  ref: string;
  /** The report that starts it (its first exemplar). */
  reportId: string;
  features: ContentFeatures;
}

export interface Plan {
  /** reportId → campaign id or `new:k`. */
  assignments: Map<string, string>;
  created: PlannedCampaign[];
  /** Reports added as further exemplars (a variant unlike the ones its campaign has); id or `new:k`. */
  exemplars: { campaignId: string; reportId: string; features: ContentFeatures }[];
}

/**
 * @param known exemplars of the candidate campaigns, as stored
 * @param exemplarCounts exemplars each candidate campaign has (to respect MAX_EXEMPLARS)
 */
export function planAssignments(inputs: readonly PlanInput[], known: readonly Exemplar[], exemplarCounts: ReadonlyMap<string, number>): Plan {
  const pool: Exemplar[] = [...known];
  const counts = new Map(exemplarCounts);
  const plan: Plan = { assignments: new Map(), created: [], exemplars: [] };
  for (const input of inputs) {
    if (input.features.judge === 'none') continue;
    const probe = probeOf(input.features);
    const best = bestMatch(probe, pool);
    if (!best) {
      const ref = `${NEW_PREFIX}${plan.created.length}`;
      plan.created.push({ ref, reportId: input.reportId, features: input.features });
      plan.assignments.set(input.reportId, ref);
      pool.push(exemplarOf(ref, input.features));
      counts.set(ref, 1);
      continue;
    }
    plan.assignments.set(input.reportId, best.campaignId);
    const n = counts.get(best.campaignId) ?? MAX_EXEMPLARS;
    if (best.score < EXEMPLAR_BELOW && n < MAX_EXEMPLARS && input.features.judge === 'text') {
      // A variant the campaign's exemplars do not cover well: keep it, so the next copy that drifts
      // further still finds the campaign (through this exemplar's keys too).
      counts.set(best.campaignId, n + 1);
      pool.push(exemplarOf(best.campaignId, input.features));
      plan.exemplars.push({ campaignId: best.campaignId, reportId: input.reportId, features: input.features });
    }
  }
  return plan;
}
