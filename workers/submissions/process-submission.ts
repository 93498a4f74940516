import type { DataSource } from 'typeorm';
import type { Analysis } from '../../shared/analysis/types.ts';
import type { TrapContext } from '../../shared/analysis/trap-hit.ts';
import { AppError, isAppError } from '../../shared/errors/app-error.ts';
import { isDatabaseUnavailable } from '../../shared/db/db-errors.ts';
import { storableText } from '../../shared/db/storable.ts';
import type { Logger } from '../../shared/logger.ts';
import type { SubmissionRow } from './store-reports.ts';
import { loadRawInChunks, loadSubmissions, type LoadedSubmission } from './load-raw.ts';
import type { ReputationContext } from '../reputation/apply-reputation.ts';
import type { CampaignContext } from '../campaigns/assign-campaigns.ts';
import { commitSubmissions, FINAL_STATUSES, type CommitOutcome, type ReadySubmission } from './commit-submissions.ts';
import type { CommitBatcher } from './commit-batcher.ts';
import type { ReportOutbox } from '../notifications/record-report-outbox.ts';
import { Gate } from './gate.ts';

export interface ProcessDeps {
  ds: DataSource;
  log: Logger;
  /**
   * The analysis step; pure apart from its inputs. `feedbackLoop`: the loop the channel was bound to;
   * `trap`: set for a trap hit (channel `trap`), whose origin is the connecting client.
   */
  analyze: (raw: Buffer, opts?: AnalyzeStepOptions) => Promise<Analysis> | Analysis;
  /** Sender reputation, applied in the reports' transaction; omitted → no reputation effects. */
  reputation?: ReputationContext;
  /** Campaign assignment settings; omitted → the defaults (campaigns are always assigned). */
  campaigns?: CampaignContext;
  /** Webhook events and tenant notifications of new reports; omitted → none. */
  outbox?: ReportOutbox;
  /** Group commit shared by the jobs of one worker; omitted → one transaction per submission. */
  committer?: CommitBatcher;
  /**
   * Bounds how many submissions are loaded and analysed at once in this process, whatever the
   * number of jobs and batch sizes (memory: each holds its raw message). Not held while
   * committing, so analyses go on while a group commit waits for its fsync.
   */
  analysisGate?: Gate;
}

export interface AnalyzeStepOptions {
  feedbackLoop: string | null;
  trap?: TrapContext | null;
}

export type ProcessOutcome = CommitOutcome;

/**
 * Processes one submission: load, analyse, and write reports plus the final status in one
 * transaction (shared with other jobs finishing at the same time when `committer` is set). A
 * second delivery of the job finds the final status (or the unique report index) and changes nothing.
 */
export async function processSubmission(deps: ProcessDeps, submissionId: string, loaded?: LoadedSubmission): Promise<ProcessOutcome> {
  const prepare = () => prepareSubmission(deps, submissionId, loaded);
  const ready = deps.analysisGate ? await deps.analysisGate.run(prepare) : await prepare();
  if ('outcome' in ready) return ready;
  if (deps.committer) return deps.committer.commit(ready);
  const [outcome] = await deps.ds.transaction((em) => commitSubmissions(em, [ready], deps.reputation, deps.outbox, deps.campaigns));
  return outcome!;
}

/**
 * Loads (unless the caller loaded it with others) and analyses a submission outside any
 * transaction; a final one is reported as done.
 */
async function prepareSubmission(deps: ProcessDeps, submissionId: string, loaded?: LoadedSubmission): Promise<ReadySubmission | ProcessOutcome> {
  const row = loaded ?? (await loadSubmissions(deps.ds, [submissionId])).get(submissionId);
  if (!row) throw new AppError('not_found', `submission ${submissionId} does not exist`);
  if (FINAL_STATUSES.has(row.status)) return { outcome: 'already-done', status: row.status };
  const opts = analyzeOptions(row);
  const inline = row.content;
  const sha256 = row.raw_sha256;
  const size = row.raw_size;
  const analysis = inline
    ? await analyzeOrFail(deps, inline, opts)
    : sha256 !== null && size !== null
      ? // Large messages (and those past a batch load's budget) are read in slices, and one at a
        // time per process: concurrent 25 MB messages, not their number, set a worker's peak memory.
        await largeMessages.run(async () => {
          const content = await loadRawInChunks(deps.ds, sha256, size);
          return content ? analyzeOrFail(deps, content, opts) : null;
        })
      : null;
  if (!analysis) throw new AppError('unparseable_message', 'the raw message is gone (deleted by retention)');
  const smtp = opts.trap ? { helo: row.smtp_helo ?? null, mailFrom: row.envelope_from ?? null } : undefined;
  return { row: { id: row.id, channel: row.channel, received_at: row.received_at, reporter: row.reporter, ...(smtp ? { smtp } : {}) }, analysis };
}

/**
 * A trap hit is attributed to the client that connected to our front door, never to an address in
 * the message (shared/analysis/trap-hit.ts). Only the front door writes channel `trap`, always with
 * the client's address; a trap row without one cannot be attributed, which no retry fixes.
 */
function analyzeOptions(row: LoadedSubmission): AnalyzeStepOptions {
  if (row.channel !== 'trap') return { feedbackLoop: row.feedback_loop ?? null };
  if (!row.client_ip) throw new AppError('unparseable_message', 'a trap hit without the connecting client\'s address cannot be attributed');
  return { feedbackLoop: null, trap: { clientIp: row.client_ip } };
}

async function analyzeOrFail(deps: ProcessDeps, content: Buffer, opts: AnalyzeStepOptions): Promise<Analysis> {
  try {
    return await deps.analyze(content, opts);
  } catch (err) {
    throw new AppError('unparseable_message', `cannot parse the message: ${(err as Error).message}`, {}, { cause: err });
  }
}

const largeMessages = new Gate(1);

/** A failure that no retry can fix (a message that cannot be parsed, a missing raw message). */
export function isPermanentFailure(err: unknown): err is AppError {
  return isAppError(err) && !err.retryable && !isDatabaseUnavailable(err);
}

/** Records a permanent failure so analysts see it and it is not retried forever. */
export async function markFailed(ds: DataSource, submissionId: string, reason: string): Promise<void> {
  await ds.query(
    `UPDATE submissions SET status = 'failed', error = $2, processed_at = now()
      WHERE id = $1 AND status NOT IN ('processed', 'discarded')`,
    [submissionId, storableText(reason, 2000)],
  );
}
