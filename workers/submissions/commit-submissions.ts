import type { EntityManager } from 'typeorm';
import type { Analysis } from '../../shared/analysis/types.ts';
import { recordAttributions } from '../../shared/metrics.ts';
import { applyReputationBatch, type ReputationContext, type ReputationItem } from '../reputation/apply-reputation.ts';
import { storeReportsBatch, type SubmissionRow } from './store-reports.ts';

/** A submission analysed and ready to be written. */
export interface ReadySubmission {
  row: SubmissionRow;
  analysis: Analysis;
}

export type CommitOutcome =
  | { outcome: 'processed'; reports: number }
  | { outcome: 'discarded'; reason: string }
  | { outcome: 'already-done'; status: string };

export const FINAL_STATUSES = new Set(['processed', 'failed', 'discarded']);

/**
 * Writes several analysed submissions in the caller's ONE transaction: reports, reputation and the
 * final status. Exactly-once per submission: its row is locked (in id order, so two batches cannot
 * deadlock on each other) and skipped when already final; `reports (submission_id, idx)` is unique
 * besides. Returns one outcome per input, in input order.
 */
export async function commitSubmissions(em: EntityManager, items: ReadySubmission[], reputation?: ReputationContext): Promise<CommitOutcome[]> {
  const ids = [...new Set(items.map((i) => i.row.id))].sort();
  const locked: { id: string; status: string }[] = await em.query(
    `SELECT id, status FROM submissions WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
  const status = new Map(locked.map((r) => [r.id, r.status]));
  const outcomes: CommitOutcome[] = [];
  const toStore: ReadySubmission[] = [];
  const discarded: { id: string; reason: string }[] = [];
  for (const item of items) {
    const st = status.get(item.row.id);
    if (st === undefined || FINAL_STATUSES.has(st)) {
      outcomes.push({ outcome: 'already-done', status: st ?? 'missing' });
      continue;
    }
    // The same submission twice in one batch: the second finds the status the first one writes.
    status.set(item.row.id, item.analysis.reports.length === 0 ? 'discarded' : 'processed');
    if (item.analysis.reports.length === 0) {
      const reason = `${item.analysis.kind}: ${item.analysis.reason ?? 'no reported message found'}`;
      discarded.push({ id: item.row.id, reason });
      outcomes.push({ outcome: 'discarded', reason });
    } else {
      toStore.push(item);
      outcomes.push({ outcome: 'processed', reports: 0 });
    }
  }

  const inserted = await storeReportsBatch(em, toStore.map((i) => ({ row: i.row, kind: i.analysis.kind, reports: i.analysis.reports })));
  const repItems: ReputationItem[] = [];
  for (const item of toStore) {
    const mine = inserted.get(item.row.id) ?? [];
    const o = outcomes[items.indexOf(item)]!;
    if (o.outcome === 'processed') o.reports = mine.length;
    if (mine.length) recordAttributions(item.analysis.reports); // a redelivery inserts nothing and counts nothing
    repItems.push({ insertedIds: mine, reports: item.analysis.reports });
  }
  if (reputation) await applyReputationBatch(em, repItems, reputation);
  if (discarded.length) {
    await em.query(
      `UPDATE submissions s SET status = 'discarded', error = d.reason, processed_at = clock_timestamp()
         FROM unnest($1::uuid[], $2::text[]) AS d(id, reason) WHERE s.id = d.id`,
      [discarded.map((d) => d.id), discarded.map((d) => d.reason)],
    );
  }
  if (toStore.length) {
    await em.query(`UPDATE submissions SET status = 'processed', error = NULL, processed_at = clock_timestamp() WHERE id = ANY($1::uuid[])`, [toStore.map((i) => i.row.id)]);
  }
  return outcomes;
}
