import { timeJob } from '../../shared/metrics.ts';
import { isPermanentFailure, markFailed, processSubmission, type ProcessDeps } from './process-submission.ts';

export interface BatchOutcome {
  submissions: number;
  /** Marked `failed` for good (unparseable, raw message gone). */
  failed: number;
}

/** Thrown when some submissions of a batch job hit a transient error: BullMQ retries the job. */
export class BatchRetryError extends Error {
  constructor(readonly pending: number, readonly total: number, cause: unknown) {
    super(`${pending} of ${total} submissions must be retried: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'BatchRetryError';
  }
}

/**
 * Processes the submissions of one intake batch job. Each is processed exactly once whatever
 * happens to the job: a finished submission is skipped on a retry (`processSubmission` finds its
 * final status), a permanent failure is recorded on that submission alone, and a transient one
 * (Postgres unreachable…) fails the job after the others are done, so BullMQ retries only what is
 * left. `deps.analysisGate` bounds how many are analysed at once.
 */
export async function processBatch(deps: ProcessDeps, submissionIds: readonly string[]): Promise<BatchOutcome> {
  const ids = [...new Set(submissionIds)];
  const settled = await Promise.allSettled(ids.map((id) => timeJob(() => processSubmission(deps, id))));
  let failed = 0;
  let pending = 0;
  let firstTransient: unknown;
  for (const [i, result] of settled.entries()) {
    if (result.status === 'fulfilled') continue;
    if (isPermanentFailure(result.reason)) {
      await markFailed(deps.ds, ids[i]!, result.reason.message);
      failed++;
    } else {
      pending++;
      firstTransient ??= result.reason;
    }
  }
  if (pending > 0) throw new BatchRetryError(pending, ids.length, firstTransient);
  return { submissions: ids.length, failed };
}
