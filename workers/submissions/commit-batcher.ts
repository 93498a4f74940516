import type { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../../shared/db/db-errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { ReputationContext } from '../reputation/apply-reputation.ts';
import { commitSubmissions, type CommitOutcome, type ReadySubmission } from './commit-submissions.ts';
import type { CampaignContext } from '../campaigns/assign-campaigns.ts';
import type { ReportOutbox } from '../notifications/record-report-outbox.ts';

interface Pending {
  item: ReadySubmission;
  resolve: (o: CommitOutcome) => void;
  reject: (e: unknown) => void;
}

export interface CommitBatcherOptions {
  /** Most submissions written in one transaction. @defaultValue 32 */
  maxBatch?: number;
  /** Transactions in flight at once (each holds a pool connection). @defaultValue 2 */
  maxInFlight?: number;
  /** Campaign assignment settings. @defaultValue DEFAULT_CAMPAIGN_CONTEXT */
  campaigns?: CampaignContext;
  /** Webhook events and tenant notifications, written in the same transaction. */
  outbox?: ReportOutbox;
}

/**
 * Worker-side group commit: analysis stays parallel per job, but the writes of jobs that finish
 * while a transaction is in flight go together into the next one — one COMMIT and a few
 * set-based statements for many submissions instead of ~10 statements and a COMMIT each. An idle
 * worker adds no delay (a lone item commits at once). A job's promise settles only after its
 * commit, so BullMQ completes a job only once its effects are durable.
 *
 * Isolation: when a batch transaction fails for another reason than an unreachable database,
 * every item is retried in a transaction of its own, so one poisoned submission fails alone.
 */
export class CommitBatcher {
  private pending: Pending[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly campaigns?: CampaignContext;
  private readonly outbox?: ReportOutbox;

  constructor(
    private readonly ds: DataSource,
    private readonly log: Logger,
    private readonly reputation?: ReputationContext,
    opts: CommitBatcherOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 32;
    this.maxInFlight = opts.maxInFlight ?? 2;
    this.campaigns = opts.campaigns;
    this.outbox = opts.outbox;
  }

  commit(item: ReadySubmission): Promise<CommitOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.inFlight < this.maxInFlight) void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.inFlight++;
    try {
      while (this.pending.length > 0) await this.flush(this.pending.splice(0, this.maxBatch));
    } finally {
      this.inFlight--;
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.write(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(outcomes[i]!));
      return;
    } catch (err) {
      if (batch.length === 1 || isDatabaseUnavailable(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      this.log.warn({ err: (err as Error).message, count: batch.length }, 'batch commit failed; retrying its submissions one by one');
    }
    for (const p of batch) {
      try {
        p.resolve((await this.write([p.item]))[0]!);
      } catch (err) {
        p.reject(err);
      }
    }
  }

  private write(items: ReadySubmission[]): Promise<CommitOutcome[]> {
    return this.ds.transaction((em) => commitSubmissions(em, items, this.reputation, this.outbox, this.campaigns));
  }
}
