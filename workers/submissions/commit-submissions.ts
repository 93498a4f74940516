import type { EntityManager } from 'typeorm';
import type { Analysis } from '../../shared/analysis/types.ts';
import { recordAttributions } from '../../shared/metrics.ts';
import { applyReputationBatch, type ReputationContext, type ReputationItem } from '../reputation/apply-reputation.ts';
import { storeReportsBatch, type SubmissionRow } from './store-reports.ts';
import { returningRows } from '../../shared/db/returning-rows.ts';
import { storableAnalysis } from '../../shared/db/storable.ts';
import { assignCampaigns, DEFAULT_CAMPAIGN_CONTEXT, type CampaignContext } from '../campaigns/assign-campaigns.ts';
import type { ReporterTrust } from '../../shared/trust/reporter-trust.ts';
import { recordReportOutbox, type ReportOutbox } from '../notifications/record-report-outbox.ts';

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

/** The reports this transaction inserted, with their analysis, for the campaign step (a redelivery has none). */
function campaignItems(stored: ReadySubmission[], inserted: Map<string, string[]>) {
  return stored
    .filter((i) => inserted.has(i.row.id))
    .flatMap((i) => i.analysis.reports.map((report, idx) => ({ submissionId: i.row.id, idx, report, receivedAt: i.row.received_at })));
}

/**
 * Writes several analysed submissions in the caller's ONE transaction: reports, reputation and the
 * final status. Exactly-once per submission: the first statement claims the rows — it locks them
 * (in id order, so two batches cannot deadlock on each other) and sets the final status of those
 * not final yet, in one UPDATE; only what it claimed gets reports and reputation. A concurrent
 * delivery waits on the lock and then finds the row final. `reports (submission_id, idx)` is unique
 * besides. Returns one outcome per input, in input order.
 */
export async function commitSubmissions(
  em: EntityManager,
  ready: ReadySubmission[],
  reputation?: ReputationContext,
  outbox?: ReportOutbox,
  campaigns: CampaignContext = DEFAULT_CAMPAIGN_CONTEXT,
): Promise<CommitOutcome[]> {
  // The storage edge: every value taken from a message is made storable here, once, for the
  // reports, the reputation tables, campaigns and the notification outbox alike (a report is never lost over its content).
  const items = ready.map((i) => ({ ...i, analysis: storableAnalysis(i.analysis) }));
  // Each distinct submission's final status follows from its analysis (the first item wins).
  const finals = new Map<string, { status: 'processed' | 'discarded'; reason: string | null }>();
  for (const { row, analysis } of items) {
    if (finals.has(row.id)) continue;
    finals.set(row.id, analysis.reports.length === 0
      ? { status: 'discarded', reason: `${analysis.kind}: ${analysis.reason ?? 'no reported message found'}` }
      : { status: 'processed', reason: null });
  }
  const ids = [...finals.keys()].sort();
  // One statement instead of SELECT … FOR UPDATE plus an UPDATE per final status: the status is
  // written first, but nobody sees it before the COMMIT that also holds the reports.
  // The claim also reads each submission's trust under its row lock: a confirmation committed
  // meanwhile is seen here, and one that waits for this lock finds the reports already written.
  const claimedRows = returningRows<{ id: string; reporter_trust: ReporterTrust }>(await em.query(
    `UPDATE submissions s SET status = f.status, error = f.reason, processed_at = clock_timestamp()
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS f(id, status, reason)
      WHERE s.id = f.id
        AND s.id IN (SELECT id FROM submissions WHERE id = ANY($1::uuid[]) AND status NOT IN ('processed', 'failed', 'discarded')
                      ORDER BY id FOR UPDATE)
      RETURNING s.id, s.reporter_trust`,
    [ids, ids.map((id) => finals.get(id)!.status), ids.map((id) => finals.get(id)!.reason)],
  ));
  const claimed = new Set(claimedRows.map((r) => r.id));
  const trustOf = new Map(claimedRows.map((r) => [r.id, r.reporter_trust]));
  // Rare (a redelivery): what the rows that were not claimed are, for the outcome.
  const others = ids.filter((id) => !claimed.has(id));
  const otherStatus = new Map<string, string>(
    others.length
      ? (await em.query(`SELECT id, status FROM submissions WHERE id = ANY($1::uuid[])`, [others]) as { id: string; status: string }[]).map((r) => [r.id, r.status])
      : [],
  );

  const outcomes: CommitOutcome[] = [];
  const toStore: ReadySubmission[] = [];
  const written = new Set<string>();
  for (const item of items) {
    const id = item.row.id;
    if (!claimed.has(id) || written.has(id)) {
      // The same submission twice in one batch: the second finds it written by the first.
      outcomes.push({ outcome: 'already-done', status: written.has(id) ? finals.get(id)!.status : otherStatus.get(id) ?? 'missing' });
      continue;
    }
    written.add(id);
    const final = finals.get(id)!;
    if (final.status === 'discarded') {
      outcomes.push({ outcome: 'discarded', reason: final.reason! });
    } else {
      toStore.push(item);
      outcomes.push({ outcome: 'processed', reports: 0 });
    }
  }

  const inserted = await storeReportsBatch(em, toStore.map((i) => ({ row: { ...i.row, reporter_trust: trustOf.get(i.row.id) }, kind: i.analysis.kind, reports: i.analysis.reports })));
  const repItems: ReputationItem[] = [];
  for (const item of toStore) {
    const mine = inserted.get(item.row.id) ?? [];
    const o = outcomes[items.indexOf(item)]!;
    if (o.outcome === 'processed') o.reports = mine.length;
    if (mine.length) recordAttributions(item.analysis.reports); // a redelivery inserts nothing and counts nothing
    repItems.push({ insertedIds: mine, reports: item.analysis.reports });
  }
  if (reputation) await applyReputationBatch(em, repItems, reputation);
  // Webhook events and tenant notifications of the new reports, committed with them (an outbox).
  if (outbox) await recordReportOutbox(em, repItems.flatMap((i) => i.insertedIds), outbox);
  await assignCampaigns(em, campaignItems(toStore, inserted), [...inserted.values()].flat(), campaigns);
  return outcomes;
}
