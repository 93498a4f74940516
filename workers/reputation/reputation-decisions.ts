import type { EntityManager } from 'typeorm';
import { decideIpListing, decideTenantFlag } from '../../shared/reputation/decisions.ts';
import type { ReputationSettings } from '../../shared/reputation/settings.ts';
import { addListing, getListing } from '../../shared/reputation/store/listings-repo.ts';
import { subjectState, type SubjectRow } from '../../shared/reputation/store/subject-state.ts';
import { recordEvent } from '../../shared/webhooks/record-event.ts';

/**
 * Adding weights w1…wn one by one, each step clamped at zero (`addToScore`), to a decayed score d
 * gives max(d + Σw, max over k of Σ w(k+1…n)): the last clamp that bites resets to zero and the
 * rest is added. So two numbers per subject let one UPDATE apply a whole batch exactly.
 */
export function foldWeights(weights: number[]): { total: number; floor: number } {
  let total = 0;
  let floor = 0; // suffix sums, the empty suffix (clamp at the last step) being 0
  let suffix = 0;
  for (let i = weights.length - 1; i >= 0; i--) {
    total += weights[i]!;
    if (i > 0) {
      suffix += weights[i]!;
      floor = Math.max(floor, suffix);
    }
  }
  return { total, floor };
}

/** Lists an IP whose state now calls for it (no-op when already listed). */
export async function maybeList(em: EntityManager, subj: SubjectRow, s: ReputationSettings, now: Date): Promise<boolean> {
  if (await getListing(em, subj.key)) return false;
  const st = await subjectState(em, subj, s, now);
  const d = decideIpListing({ ...st, platform: subj.platform }, s);
  return d.action === 'list' && addListing(em, subj.key, d.reasons, 'system', now);
}

/** Flags a tenant whose state now calls for it (no-op while an open flag exists). */
export async function maybeFlag(em: EntityManager, subj: SubjectRow, s: ReputationSettings, now: Date): Promise<boolean> {
  const [open]: unknown[] = await em.query(`SELECT 1 FROM tenant_flags WHERE tenant_id = $1 AND cleared_at IS NULL`, [subj.key]);
  if (open) return false;
  const st = await subjectState(em, subj, s, now);
  const d = decideTenantFlag(st, s);
  if (d.action !== 'flag') return false;
  await em.query(
    `INSERT INTO tenant_flags (tenant_id, flagged_at, score, reasons) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (tenant_id) DO UPDATE SET flagged_at = $2, score = $3, reasons = $4::jsonb, cleared_at = NULL`,
    [subj.key, now, st.score, JSON.stringify(d.reasons)],
  );
  await recordEvent(em, 'tenant.flagged', { tenant: subj.key, score: st.score, reasons: d.reasons, at: now.toISOString() });
  return true;
}
