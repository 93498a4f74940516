import type { DataSource } from 'typeorm';
import type { Analysis } from '../../shared/analysis/types.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import type { Logger } from '../../shared/logger.ts';
import { storeReports, type SubmissionRow } from './store-reports.ts';
import { INLINE_RAW_BYTES, loadRawInChunks } from './load-raw.ts';
import { recordAttributions } from '../../shared/metrics.ts';
import { applyReputation, type ReputationContext } from '../reputation/apply-reputation.ts';

export interface ProcessDeps {
  ds: DataSource;
  log: Logger;
  /** The analysis step; pure apart from its inputs. */
  analyze: (raw: Buffer) => Promise<Analysis> | Analysis;
  /** Sender reputation, applied in the reports' transaction; omitted → no reputation effects. */
  reputation?: ReputationContext;
}

export type ProcessOutcome =
  | { outcome: 'processed'; reports: number }
  | { outcome: 'discarded'; reason: string }
  | { outcome: 'already-done'; status: string };

const FINAL = new Set(['processed', 'failed', 'discarded']);

/**
 * Processes one submission: load, analyse, and write reports plus the final status in one
 * transaction. A second delivery of the job finds the final status (or the unique report
 * index) and changes nothing.
 */
export async function processSubmission(deps: ProcessDeps, submissionId: string): Promise<ProcessOutcome> {
  const [row]: (SubmissionRow & { status: string; content: Buffer | null; raw_sha256: string | null; raw_size: number | null })[] = await deps.ds.query(
    `SELECT s.id, s.channel, s.received_at, s.reporter, s.status, s.raw_sha256, r.size_bytes AS raw_size,
            CASE WHEN r.size_bytes <= $2 THEN r.content END AS content
       FROM submissions s LEFT JOIN raw_messages r ON r.sha256 = s.raw_sha256 WHERE s.id = $1`,
    [submissionId, INLINE_RAW_BYTES],
  );
  if (!row) throw new AppError('not_found', `submission ${submissionId} does not exist`);
  if (FINAL.has(row.status)) return { outcome: 'already-done', status: row.status };
  // Large messages are read in slices: loading 25 MB in one piece costs ~10× its size in memory.
  if (!row.content && row.raw_sha256 && row.raw_size !== null) row.content = await loadRawInChunks(deps.ds, row.raw_sha256, row.raw_size);
  if (!row.content) throw new AppError('unparseable_message', 'the raw message is gone (deleted by retention)');

  let analysis: Analysis;
  try {
    analysis = await deps.analyze(row.content);
  } catch (err) {
    throw new AppError('unparseable_message', `cannot parse the message: ${(err as Error).message}`, {}, { cause: err });
  }

  return deps.ds.transaction(async (em) => {
    // The row lock serialises two deliveries of the same job that run at once.
    const [locked]: { status: string }[] = await em.query(`SELECT status FROM submissions WHERE id = $1 FOR UPDATE`, [submissionId]);
    if (!locked || FINAL.has(locked.status)) return { outcome: 'already-done', status: locked?.status ?? 'missing' } as const;
    if (analysis.reports.length === 0) {
      const reason = `${analysis.kind}: ${analysis.reason ?? 'no reported message found'}`;
      await em.query(`UPDATE submissions SET status = 'discarded', error = $2, processed_at = now() WHERE id = $1`, [submissionId, reason]);
      return { outcome: 'discarded', reason } as const;
    }
    const inserted = await storeReports(em, row, analysis.kind, analysis.reports);
    if (inserted.length) recordAttributions(analysis.reports); // a redelivery inserts nothing and counts nothing
    if (deps.reputation) await applyReputation(em, inserted, analysis.reports, deps.reputation);
    await em.query(`UPDATE submissions SET status = 'processed', error = NULL, processed_at = now() WHERE id = $1`, [submissionId]);
    return { outcome: 'processed', reports: inserted.length } as const;
  });
}

/** Records a permanent failure so analysts see it and it is not retried forever. */
export async function markFailed(ds: DataSource, submissionId: string, reason: string): Promise<void> {
  await ds.query(
    `UPDATE submissions SET status = 'failed', error = $2, processed_at = now()
      WHERE id = $1 AND status NOT IN ('processed', 'discarded')`,
    [submissionId, reason.slice(0, 2000)],
  );
}
