import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, parsePayload } from '../../shared/queue/queues.ts';
import { isAppError } from '../../shared/errors/app-error.ts';
import { isDatabaseUnavailable } from '../../shared/db/db-errors.ts';
import { markFailed, processSubmission, type ProcessDeps } from './process-submission.ts';
import { timeJob } from '../../shared/metrics.ts';
import { CommitBatcher } from './commit-batcher.ts';

export interface SubmissionWorkerOptions {
  connection: Redis;
  prefix: string;
  /** Jobs processed at once in this process. @defaultValue 8 */
  concurrency?: number;
  /** Most submissions written in one worker transaction (group commit). @defaultValue 32 */
  commitBatch?: number;
}

/** Thin adapter: validate the payload, run the use case, classify failures. */
export function createSubmissionWorker(baseDeps: ProcessDeps, opts: SubmissionWorkerOptions): Worker {
  // The jobs of this worker share one group-commit batcher: concurrent jobs, one COMMIT.
  const deps: ProcessDeps = baseDeps.committer
    ? baseDeps
    : { ...baseDeps, committer: new CommitBatcher(baseDeps.ds, baseDeps.log, baseDeps.reputation, { maxBatch: opts.commitBatch }) };
  const worker = new Worker(
    QUEUES.submissions.name,
    async (job: Job) => {
      const { submissionId } = parsePayload('submissions', 'process-submission', job.data);
      try {
        return await timeJob(() => processSubmission(deps, submissionId));
      } catch (err) {
        if (isDatabaseUnavailable(err)) throw err; // transient: BullMQ retries with backoff
        if (isAppError(err) && !err.retryable) {
          await markFailed(deps.ds, submissionId, err.message);
          throw new UnrecoverableError(err.message);
        }
        throw err;
      }
    },
    { connection: opts.connection, prefix: opts.prefix, concurrency: opts.concurrency ?? 8, autorun: true },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
    deps.log.warn({ jobId: job.id, attempt: job.attemptsMade, exhausted, err: err.message }, 'submission job failed');
    if (exhausted && !(err instanceof UnrecoverableError)) {
      markFailed(deps.ds, String(job.data.submissionId), `gave up after ${job.attemptsMade} attempts: ${err.message}`).catch((e) =>
        deps.log.error({ err: e }, 'could not mark submission failed'),
      );
    }
  });
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'submission worker error'));
  return worker;
}
