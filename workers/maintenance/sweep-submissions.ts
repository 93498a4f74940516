import type { DataSource } from 'typeorm';
import type { SubmissionQueue } from '../../shared/queue/submission-queue.ts';
import { markFailed } from '../submissions/process-submission.ts';
import { redriveSubmission } from './redrive-job.ts';

/**
 * Re-drives submissions that are committed but not finished after `olderThanSeconds`:
 * - never queued (Redis down at intake, a crash between commit and enqueue);
 * - job lost (Redis restarted without the data, e.g. the last second of an AOF everysec);
 * - job failed or stalled out while its status did not get written (Postgres was down when the
 *   worker gave up, a worker was killed twice on the same job).
 * Jobs that are waiting, delayed or active are left to BullMQ (its stalled-job check moves an active
 * job whose worker died back to wait). A job started `attempts` times without finishing is marked
 * failed, so a poison message cannot loop forever. Returns how many submissions were re-driven.
 */
export async function sweepSubmissions(ds: DataSource, queue: SubmissionQueue, olderThanSeconds: number, limit = 1000): Promise<number> {
  const rows: { id: string }[] = await ds.query(
    `SELECT id FROM submissions
      WHERE status IN ('received', 'queued') AND received_at < now() - make_interval(secs => $1)
      ORDER BY received_at LIMIT $2`,
    [olderThanSeconds, limit],
  );
  const redriven: string[] = [];
  for (const { id } of rows) {
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
