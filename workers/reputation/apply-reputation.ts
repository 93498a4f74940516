import type { EntityManager } from 'typeorm';
import type { AnalyzedReport } from '../../shared/analysis/types.ts';
import type { ReporterTrust } from '../../shared/trust/reporter-trust.ts';
import { applyCandidates, baseWeight, type Candidate, type ReputationContext, type ReputationOutcome } from './apply-events.ts';

export type { ReputationContext, ReputationOutcome } from './apply-events.ts';

/** One submission's newly inserted report ids and its analysed reports (indexed by `reports.idx`). */
export interface ReputationItem {
  insertedIds: string[];
  reports: AnalyzedReport[];
}

/**
 * Applies the reputation effects of a submission's NEWLY INSERTED reports, inside the caller's
 * transaction: a redelivered job inserts no report, so it adds no score.
 */
export async function applyReputation(em: EntityManager, insertedIds: string[], reports: AnalyzedReport[], ctx: ReputationContext): Promise<ReputationOutcome> {
  return applyReputationBatch(em, [{ insertedIds, reports }], ctx);
}

/**
 * The same for several submissions committed together. One query reads what the channel vouched
 * for (each report's trust, the submission's identity and feedback loop) with the rows just
 * inserted; `applyCandidates` does the rest set-based. Score math equals applying the events one by
 * one in report order (see `foldWeights`). Reports below REPUTATION_MIN_TRUST are skipped: stored,
 * analysed and shown, they count for nothing until confirmed or promoted (workers/trust/).
 */
export async function applyReputationBatch(em: EntityManager, items: ReputationItem[], ctx: ReputationContext): Promise<ReputationOutcome> {
  const allIds = items.flatMap((i) => i.insertedIds);
  if (allIds.length === 0) return { events: 0, listed: [], flagged: [] };
  const now = new Date((ctx.now ?? Date.now)());

  const rows: { id: string; idx: number; reporter_trust: ReporterTrust; reporter_identity: string | null; feedback_loop: string | null; category: string | null }[] =
    await em.query(
      `SELECT r.id, r.idx, r.reporter_trust, s.reporter_identity, s.feedback_loop, s.category
         FROM reports r JOIN submissions s ON s.id = r.submission_id WHERE r.id = ANY($1::uuid[])`,
      [allIds],
    );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const candidates: Candidate[] = [];
  for (const item of items) {
    // Report order within a submission, submissions in batch order: the order events apply in.
    const mine = item.insertedIds.map((i) => byId.get(i)).filter((r) => r !== undefined).sort((a, b) => a.idx - b.idx);
    for (const row of mine) {
      const report = item.reports[row.idx];
      if (!report) continue;
      candidates.push({
        reportId: row.id,
        trust: row.reporter_trust,
        // The channel's identity only: the wrapper From (`report.reporter`) is written by the sender.
        identity: row.reporter_identity,
        feedbackLoop: row.feedback_loop,
        source: report,
        weight: baseWeight(report.feedbackType, row.category),
        at: now,
      });
    }
  }
  return applyCandidates(em, candidates, ctx, now);
}
