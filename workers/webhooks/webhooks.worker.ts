import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Config } from '../../shared/config/config.schema.ts';
import type { Logger } from '../../shared/logger.ts';
import { QUEUES, parsePayload } from '../../shared/queue/queues.ts';
import type { OutboxQueues } from '../../shared/queue/outbox-queues.ts';
import { drainSubscription, type DrainDeps } from './drain-subscription.ts';

export interface WebhookWorkerOptions {
  connection: Redis;
  prefix: string;
  queues: OutboxQueues;
  /** How often the sweep re-wakes subscriptions with due deliveries, in ms. @defaultValue 30000 */
  sweepEveryMs?: number;
  /** Subscriptions drained at once. @defaultValue 8 */
  concurrency?: number;
}

/**
 * Wakes subscriptions whose head delivery is due and that nobody drains: the outbox sweep (an
 * enqueue lost between COMMIT and Redis, a worker that died holding the lease). The job id holds
 * a time bucket so a finished wake-up with the same id never swallows a later one.
 */
export async function sweepWebhooks(ds: DataSource, queues: OutboxQueues, bucketMs: number): Promise<number> {
  const due: { subscription_id: string }[] = await ds.query(
    `SELECT DISTINCT d.subscription_id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
      WHERE d.status = 'queued' AND d.next_attempt_at <= now() AND s.enabled AND (s.lease_until IS NULL OR s.lease_until < now())
      LIMIT 1000`,
  );
  const bucket = Math.floor(Date.now() / bucketMs);
  if (due.length) {
    await queues.webhooks.addBulk(due.map((d) => ({ name: 'deliver', data: { subscriptionId: d.subscription_id }, opts: { jobId: `sweep-${d.subscription_id}-${bucket}` } })));
  }
  return due.length;
}

/** Thin adapter: `deliver` drains one subscription; `webhooks-sweep` is scheduled (one schedule for all processes). */
export async function startWebhookWorker(base: { ds: DataSource; config: Config; log: Logger }, opts: WebhookWorkerOptions): Promise<Worker> {
  const every = opts.sweepEveryMs ?? 30_000;
  await opts.queues.webhooks.upsertJobScheduler('webhooks-sweep', { every }, { name: 'webhooks-sweep', data: {}, opts: { attempts: 1 } });
  const deps: DrainDeps = {
    ...base,
    async wakeAt(subscriptionId, at, key) {
      await opts.queues.webhooks.add('deliver', { subscriptionId }, { jobId: `retry-${key}`, delay: Math.max(0, at.getTime() - Date.now()) });
    },
  };
  const worker = new Worker(
    QUEUES.webhooks.name,
    async (job: Job) => {
      if (job.name === 'webhooks-sweep') {
        parsePayload('webhooks', 'webhooks-sweep', job.data);
        return sweepWebhooks(base.ds, opts.queues, every);
      }
      const { subscriptionId } = parsePayload('webhooks', 'deliver', job.data);
      return drainSubscription(deps, subscriptionId);
    },
    { connection: opts.connection, prefix: opts.prefix, concurrency: opts.concurrency ?? 8 },
  );
  worker.on('error', (err) => base.log.warn({ err: err.message }, 'webhook worker error'));
  return worker;
}
