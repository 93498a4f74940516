import type { DataSource } from 'typeorm';
import type { SubmissionQueue } from '../../shared/queue/submission-queue.ts';
import { markFailed } from '../submissions/process-submission.ts';
import { redriveSubmission } from './redrive-job.ts';

/**
 * Re-drives submissions that are committed but not finished after `olderThanSeconds`:
 * - never queued (Redis down at intake, a crash between commit and enqueue);
 * - its intake batch job finished or failed without finishing it (then it gets a job of its own);
 * - job lost (Redis restarted without the data, e.g. the last second of an AOF everysec);
 * - job failed or stalled out while its status did not get written (Postgres was down when the
 *   worker gave up, a worker was killed twice on the same job).
 * Jobs that are waiting, delayed or active are left to BullMQ (its stalled-job check moves an active
 * job whose worker died back to wait). A job started `attempts` times without finishing is marked
 * failed, so a poison message cannot loop forever. Returns how many submissions were re-driven.
 */
/** Job states in which BullMQ will still run the job. */
const PENDING_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export async function sweepSubmissions(ds: DataSource, queue: SubmissionQueue, olderThanSeconds: number, limit = 1000): Promise<number> {
  const rows: { id: string; batch_id: string | null }[] = await ds.query(
    `SELECT id, batch_id FROM submissions
      WHERE status IN ('received', 'queued') AND received_at < now() - make_interval(secs => $1)
      ORDER BY received_at LIMIT $2`,
    [olderThanSeconds, limit],
  );
  const redriven: string[] = [];
  const batchPending = new Map<string, boolean>();
  for (const { id, batch_id: batchId } of rows) {
    if (batchId !== null) {
      // Queued with its intake batch: while that job is still to run, the submission is not stuck.
      if (!batchPending.has(batchId)) batchPending.set(batchId, PENDING_STATES.has(await queue.getJobState(batchId)));
      if (batchPending.get(batchId)) continue;
    }
    const outcome = await redriveSubmission(queue, id);
    if (outcome === 'added' || outcome === 'retried') redriven.push(id);
    else if (outcome === 'exhausted') {
      const job = await queue.getJob(id);
      await markFailed(ds, id, `gave up after ${job?.attemptsStarted ?? '?'} starts: ${job?.failedReason ?? 'the job did not finish'}`);
    }
  }
  if (redriven.length) await ds.query(`UPDATE submissions SET status = 'queued' WHERE id = ANY($1::uuid[]) AND status = 'received'`, [redriven]);
  return redriven.length;
}
