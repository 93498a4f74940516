import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, parsePayload } from '../../shared/queue/queues.ts';
import { isPermanentFailure, markFailed, processSubmission, type ProcessDeps } from './process-submission.ts';
import { processBatch } from './process-batch.ts';
import { Gate } from './gate.ts';
import { timeJob } from '../../shared/metrics.ts';
import { CommitBatcher } from './commit-batcher.ts';

export interface SubmissionWorkerOptions {
  connection: Redis;
  prefix: string;
  /** Jobs processed at once in this process, and submissions analysed at once. @defaultValue 8 */
  concurrency?: number;
  /** Most submissions written in one worker transaction (group commit). @defaultValue 32 */
  commitBatch?: number;
  /** Runs the `apply-trust-changes` job (workers/trust/); without it such a job fails for good. */
  applyTrustChanges?: () => Promise<unknown>;
}

/** Thin adapter: validate the payload, run the use case, classify failures. */
export function createSubmissionWorker(baseDeps: ProcessDeps, opts: SubmissionWorkerOptions): Worker {
  // The jobs of this worker share one group-commit batcher: concurrent jobs, one COMMIT.
  const concurrency = opts.concurrency ?? 8;
  const deps: ProcessDeps = {
    ...baseDeps,
    committer: baseDeps.committer ?? new CommitBatcher(baseDeps.ds, baseDeps.log, baseDeps.reputation, { maxBatch: opts.commitBatch, outbox: baseDeps.outbox, campaigns: baseDeps.campaigns }),
    // Batch jobs hold many submissions: the gate, not the job count, bounds the analyses at once.
    analysisGate: baseDeps.analysisGate ?? new Gate(concurrency),
  };
  const worker = new Worker(
    QUEUES.submissions.name,
    async (job: Job) => {
      if (job.name === 'apply-trust-changes') {
        if (!opts.applyTrustChanges) throw new UnrecoverableError('this worker does not apply trust changes');
        return opts.applyTrustChanges();
      }
      if (job.name === 'process-batch') {
        const { submissionIds } = parsePayload('submissions', 'process-batch', job.data);
        return processBatch(deps, submissionIds);
      }
      const { submissionId } = parsePayload('submissions', 'process-submission', job.data);
      try {
        return await timeJob(() => processSubmission(deps, submissionId));
      } catch (err) {
        if (isPermanentFailure(err)) {
          await markFailed(deps.ds, submissionId, err.message);
          throw new UnrecoverableError(err.message);
        }
        throw err; // transient: BullMQ retries with backoff
      }
    },
    { connection: opts.connection, prefix: opts.prefix, concurrency, autorun: true },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
    deps.log.warn({ jobId: job.id, attempt: job.attemptsMade, exhausted, err: err.message }, 'submission job failed');
    if (exhausted && !(err instanceof UnrecoverableError)) {
      if (job.name === 'apply-trust-changes') return; // nothing to mark: the schedule applies the change
      const ids: string[] = job.name === 'process-batch' ? job.data.submissionIds : [job.data.submissionId];
      // markFailed leaves finished submissions alone: only what the job could not finish is marked.
      Promise.all(ids.map((id) => markFailed(deps.ds, String(id), `gave up after ${job.attemptsMade} attempts: ${err.message}`))).catch((e) =>
        deps.log.error({ err: e }, 'could not mark submissions failed'),
      );
    }
  });
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'submission worker error'));
  return worker;
}
