import type { SubmissionQueue } from '../queue/submission-queue.ts';
import { AppError } from '../errors/app-error.ts';

export interface BacklogGaugeOptions {
  /** Waiting jobs above which intake refuses (INTAKE_HIGH_WATER). */
  highWater: number;
  /** How long one reading of the queue length is trusted. @defaultValue 1000 ms */
  ttlMs?: number;
}

/**
 * A cached reading of the submissions queue's waiting-job count, shared by the SMTP and HTTP
 * front doors. Asking Redis on every request would add a round trip to the hot path; a reading
 * one second old is precise enough for a high-water mark of thousands. A stale reading is
 * refreshed in the background, so only the very first check waits for Redis.
 */
export class BacklogGauge {
  private waiting: number | null = null;
  private readAt = 0;
  private refreshing: Promise<void> | null = null;
  private readonly ttlMs: number;

  constructor(
    private readonly queue: SubmissionQueue,
    private readonly opts: BacklogGaugeOptions,
  ) {
    this.ttlMs = opts.ttlMs ?? 1000;
  }

  /** Resolves when intake may accept; rejects with `AppError('overloaded')` above the high-water mark. */
  async check(): Promise<void> {
    if (this.readAt === 0) await this.refresh();
    else if (Date.now() - this.readAt > this.ttlMs) void this.refresh();
    if (this.waiting !== null && this.waiting > this.opts.highWater) {
      throw new AppError('overloaded', 'the report queue is over its high-water mark; retry later', {
        retryAfter: 30,
      });
    }
  }

  /** The last reading (null before the first, or while Redis does not answer). */
  get lastReading(): number | null {
    return this.waiting;
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.queue
      .getWaitingCount()
      .then((n) => {
        this.waiting = n;
      })
      .catch(() => {
        // Redis down: we cannot know the backlog. Accepting is still safe — the submission is
        // durable in Postgres and the sweeper queues it once Redis is back — so fail open.
        this.waiting = null;
      })
      .finally(() => {
        this.readAt = Date.now();
        this.refreshing = null;
      });
    return this.refreshing;
  }
}

const gauges = new WeakMap<SubmissionQueue, BacklogGauge>();

/** One gauge per queue per process, so the SMTP and HTTP front doors share one reading. */
export function backlogGauge(queue: SubmissionQueue, highWater: number): BacklogGauge {
  let gauge = gauges.get(queue);
  if (!gauge) {
    gauge = new BacklogGauge(queue, { highWater });
    gauges.set(queue, gauge);
  }
  return gauge;
}
