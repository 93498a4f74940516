import type { DataSource } from 'typeorm';
import type { SubmissionQueue } from '../../shared/queue/submission-queue.ts';
import { redriveSubmission } from './redrive-job.ts';
import { returningRows } from '../../shared/db/returning-rows.ts';

export interface RequeueResult {
  /** Reset to `received` and queued again. */
  requeued: string[];
  /** Left `failed`: retention deleted their raw message, so they cannot be processed again. */
  skippedNoRaw: number;
}

/**
 * `requeue --failed [--since]`: failed submissions (failed at or after `since`, when given) go back
 * to `received` and get a job with fresh attempt counters. The status is reset first: if queueing
 * fails half-way, the sweeper queues the rest — nothing stays half-done.
 */
export async function requeueFailed(ds: DataSource, queue: SubmissionQueue, since: Date | null): Promise<RequeueResult> {
  const reset = returningRows<{ id: string }>(await ds.query(
    `UPDATE submissions SET status = 'received', error = NULL, processed_at = NULL
      WHERE status = 'failed' AND raw_sha256 IS NOT NULL AND ($1::timestamptz IS NULL OR processed_at >= $1)
      RETURNING id`,
    [since],
  ));
  const [{ n }]: [{ n: number }] = await ds.query(
    `SELECT count(*)::int AS n FROM submissions
      WHERE status = 'failed' AND raw_sha256 IS NULL AND ($1::timestamptz IS NULL OR processed_at >= $1)`,
    [since],
  );
  const ids = reset.map((r) => r.id);
  for (const id of ids) await redriveSubmission(queue, id, { reset: true });
  if (ids.length) await ds.query(`UPDATE submissions SET status = 'queued' WHERE id = ANY($1::uuid[]) AND status = 'received'`, [ids]);
  return { requeued: ids, skippedNoRaw: n };
}
