import { timeJob } from '../../shared/metrics.ts';
import { isPermanentFailure, markFailed, processSubmission, type ProcessDeps } from './process-submission.ts';
import { loadSubmissions, type LoadedSubmission } from './load-raw.ts';
import { isDatabaseUnavailable } from '../../shared/db/db-errors.ts';

/** Submissions loaded per round trip (their inline messages are also capped in bytes). */
const LOAD_CHUNK = 32;

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
  const settled: PromiseSettledResult<unknown>[] = [];
  // A few round trips for the whole batch instead of one per submission; a chunk's rows are
  // analysed (through the gate) while the next chunk is not yet loaded, so memory stays bounded.
  for (let i = 0; i < ids.length; i += LOAD_CHUNK) {
    const chunk = ids.slice(i, i + LOAD_CHUNK);
    let loaded: Map<string, LoadedSubmission> | null = null;
    try {
      loaded = await loadSubmissions(deps.ds, chunk);
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      settled.push(...chunk.map((): PromiseSettledResult<unknown> => ({ status: 'rejected', reason: err })));
      continue;
    }
    settled.push(...(await Promise.allSettled(chunk.map((id) => timeJob(() => processSubmission(deps, id, loaded.get(id)))))));
  }
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
