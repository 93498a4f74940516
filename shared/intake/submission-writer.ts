import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger.ts';
import { AppError } from '../errors/app-error.ts';
import { enqueueBatch, type SubmissionQueue } from '../queue/submission-queue.ts';
import type { AcceptedSubmission, SubmissionInput } from './submission-input.ts';
import { isDatabaseUnavailable } from '../db/db-errors.ts';
import { insertSubmissions } from './insert-submissions.ts';
import { intakeSubmissions } from '../metrics.ts';

interface Pending {
  input: SubmissionInput;
  id: string;
  sha256: string;
  resolve: (a: AcceptedSubmission) => void;
  reject: (e: unknown) => void;
}

export interface SubmissionWriterOptions {
  /** Most submissions committed in one transaction. @defaultValue 64 */
  maxBatch?: number;
  /** Most raw bytes committed in one transaction. @defaultValue 32 MiB */
  maxBatchBytes?: number;
  /**
   * Transactions in flight at once. Fewer means bigger batches, and per-batch cost dominates
   * (bench:intake, 50 connections: 1 → 1483 req/s, 2 → 1305, 4 → 1204, 8 → 888); two rather than
   * one, so that one slow batch (a 25 MB message) does not hold every other request. @defaultValue 2
   */
  maxInFlight?: number;
}

/**
 * Makes submissions durable, then queues them. Group commit: while transactions are in flight,
 * new submissions gather and go in the next one, so under load one fsync serves many requests
 * and an idle service adds no delay. A promise resolves only after its rows are committed —
 * the 2xx/250 guarantee — and after one attempt to queue them, as one job per batch (if Redis
 * is down the sweeper queues them later).
 */
export class SubmissionWriter {
  private pending: Pending[] = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;
  private readonly maxBatchBytes: number;

  constructor(
    private readonly ds: DataSource,
    private readonly queue: SubmissionQueue,
    private readonly log: Logger,
    opts: SubmissionWriterOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 64;
    this.maxBatchBytes = opts.maxBatchBytes ?? 32 * 1024 * 1024;
    this.maxInFlight = opts.maxInFlight ?? 2;
  }

  accept(input: SubmissionInput): Promise<AcceptedSubmission> {
    if (input.raw.length === 0) return Promise.reject(new AppError('empty_body', 'the message is empty'));
    const sha256 = createHash('sha256').update(input.raw).digest('hex');
    return new Promise((resolve, reject) => {
      this.pending.push({ input, id: randomUUID(), sha256, resolve, reject });
      if (this.inFlight < this.maxInFlight) void this.flushLoop();
    });
  }

  /** One of up to `maxInFlight` loops; each commits batches until nothing is pending. */
  private async flushLoop(): Promise<void> {
    this.inFlight++;
    try {
      while (this.pending.length > 0) await this.flushBatch(this.takeBatch());
    } finally {
      this.inFlight--;
    }
  }

  private takeBatch(): Pending[] {
    let bytes = 0;
    let n = 0;
    while (n < this.pending.length && n < this.maxBatch) {
      bytes += this.pending[n]!.input.raw.length;
      n++;
      if (bytes >= this.maxBatchBytes) break;
    }
    return this.pending.splice(0, n);
  }

  private async flushBatch(batch: Pending[]): Promise<void> {
    const batchId = randomUUID();
    let existing: Map<string, string>;
    try {
      existing = await this.commit(batchId, batch);
    } catch (err) {
      const error = isDatabaseUnavailable(err)
        ? new AppError('store_unavailable', 'the report store is unavailable; retry later', {}, { cause: err })
        : err;
      if (error === err) this.log.error({ err }, 'committing submissions failed');
      for (const p of batch) p.reject(error);
      return;
    }
    const fresh = batch.filter((p) => !existing.has(p.id));
    let status: AcceptedSubmission['status'] = 'received';
    try {
      await enqueueBatch(this.queue, batchId, fresh.map((p) => p.id));
      status = 'queued';
    } catch (err) {
      // Durable already: the sweeper queues what is left in `received`.
      this.log.warn({ err: (err as Error).message, count: fresh.length }, 'queueing failed; the sweeper will retry');
    }
    for (const p of batch) {
      const earlier = existing.get(p.id);
      if (!earlier) intakeSubmissions.inc({ channel: p.input.channel });
      p.resolve(earlier ? { id: earlier, status: 'queued', duplicate: true } : { id: p.id, status, duplicate: false });
    }
  }

  /**
   * Inserts raw messages and submissions in ONE statement (insert-submissions.ts), so the batch is
   * one round trip and one implicit transaction: no BEGIN/COMMIT trips, and atomic all the same.
   * Returns the batch ids that were idempotent repeats, mapped to the earlier submission.
   * The row stays `received` until a worker finishes it: the 202 says `queued`, and a separate
   * `UPDATE … 'queued'` per batch cost Postgres as much as the insert (bench:intake).
   */
  private async commit(batchId: string, batch: Pending[]): Promise<Map<string, string>> {
    const insertedIds = await insertSubmissions(this.ds, batchId, new Date(), uniqueBy(batch, (p) => p.sha256), batch);
    const repeats = new Map<string, string>();
    if (insertedIds.size === batch.length) return repeats;
    for (const p of batch) {
      if (insertedIds.has(p.id)) continue;
      const [row] = await this.ds.query(
        `SELECT id FROM submissions WHERE channel = $1 AND api_key_id IS NOT DISTINCT FROM $2 AND idempotency_key = $3`,
        [p.input.channel, p.input.apiKeyId ?? null, p.input.idempotencyKey],
      );
      // Two requests with one key in the same batch: the second is the repeat of the first.
      const sameKey = (o: Pending) => o.input.channel === p.input.channel && (o.input.apiKeyId ?? null) === (p.input.apiKeyId ?? null) && o.input.idempotencyKey === p.input.idempotencyKey;
      repeats.set(p.id, row?.id ?? batch.find((o) => insertedIds.has(o.id) && sameKey(o))!.id);
    }
    return repeats;
  }

  /** Waits until everything accepted so far is committed (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight > 0 || this.pending.length > 0) await new Promise((r) => setTimeout(r, 10));
  }
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
