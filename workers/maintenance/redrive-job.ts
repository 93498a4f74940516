import { QUEUES } from '../../shared/queue/queues.ts';
import { enqueueSubmissions, type SubmissionQueue } from '../../shared/queue/submission-queue.ts';

export type Redrive = 'added' | 'retried' | 'in-queue' | 'exhausted';

export interface RedriveOptions {
  /** Start the attempt counters from zero (a person asked for it: `requeue --failed`). */
  reset?: boolean;
}

const MAX_STARTS = QUEUES.submissions.defaults.attempts;

/**
 * Makes sure a submission that is not finished has a job that will run. The job id is the
 * submission id, so a plain re-add is a no-op while an old job with that id is still kept in the
 * completed or failed set: such a job is retried instead.
 * - no job (Redis lost it, or it never got there): add one;
 * - waiting, delayed or active: leave it — BullMQ's stalled-job check recovers an active job whose
 *   worker died;
 * - failed or completed: retry it, unless it was started `attempts` times already without finishing
 *   (a message that kills its worker every time): `exhausted`, the caller marks it failed.
 */
export async function redriveSubmission(queue: SubmissionQueue, id: string, opts: RedriveOptions = {}): Promise<Redrive> {
  const job = await queue.getJob(id);
  if (!job) {
    await enqueueSubmissions(queue, [id]);
    return 'added';
  }
  const state = await job.getState();
  if (state === 'unknown') {
    await enqueueSubmissions(queue, [id]);
    return 'added';
  }
  if (state !== 'failed' && state !== 'completed') return 'in-queue';
  if (!opts.reset && (job.attemptsStarted ?? 0) >= MAX_STARTS) return 'exhausted';
  try {
    await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: Boolean(opts.reset) });
    return 'retried';
  } catch (err) {
    // Another sweeper or worker moved it meanwhile: whatever it did, the job is no longer finished.
    if ((await job.getState()) !== state) return 'in-queue';
    throw err;
  }
}
