import { z } from 'zod';
import type { DefaultJobOptions } from 'bullmq';

/** Most submissions in one `process-batch` job (the intake's group commit is smaller). */
export const MAX_BATCH_JOB = 1000;

/**
 * The typed job registry: every queue, its job names, payload schemas and default options.
 * Producers and workers both import from here; `assertHandlers` checks at start that every job
 * name has exactly one handler.
 */
export const QUEUES = {
  submissions: {
    name: 'submissions',
    jobs: {
      'process-submission': z.object({ submissionId: z.string().uuid() }),
      // One intake batch (the submissions of one group commit); job id = the batch id.
      'process-batch': z.object({ submissionIds: z.array(z.string().uuid()).min(1).max(MAX_BATCH_JOB) }),
      // Queued by the api after a trust change (a confirmed report, an analyst's promotion): applies
      // every pending change's reputation effect now rather than at the next scheduled run.
      'apply-trust-changes': z.object({}),
    },
    defaults: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  },
  maintenance: {
    name: 'maintenance',
    jobs: {
      'sweep-submissions': z.object({}),
      'expire-listings': z.object({}),
      retention: z.object({}),
      // The same as the submissions job of that name, on a schedule: heals a queueing lost to Redis.
      'apply-trust-changes': z.object({}),
    },
    defaults: {
      attempts: 1,
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 100 },
    },
  },
  // Tenant notifications (docs/notifications.md). Job id = the notification id.
  notifications: {
    name: 'notifications',
    jobs: {
      'send-notification': z.object({ notificationId: z.string().uuid() }),
      // Scheduled: due digests, held reports, and the outbox sweep (rows left `queued`).
      'notify-tick': z.object({}),
    },
    defaults: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 30_000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  },
  // Webhook deliveries. One job drains its subscription's queue in order (`deliver`, job id = the
  // delivery id that woke it); the sweep re-wakes subscriptions with due deliveries.
  webhooks: {
    name: 'webhooks',
    jobs: {
      deliver: z.object({ subscriptionId: z.string().uuid() }),
      'webhooks-sweep': z.object({}),
    },
    defaults: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  },
} as const satisfies Record<
  string,
  { name: string; jobs: Record<string, z.ZodType>; defaults: DefaultJobOptions }
>;

export type QueueKey = keyof typeof QUEUES;
export type JobName<Q extends QueueKey> = keyof (typeof QUEUES)[Q]['jobs'] & string;
export type JobPayload<Q extends QueueKey, N extends JobName<Q>> = z.infer<
  (typeof QUEUES)[Q]['jobs'][N] extends z.ZodType ? (typeof QUEUES)[Q]['jobs'][N] : never
>;

export type HandlerMap<Q extends QueueKey> = {
  [N in JobName<Q>]: (payload: JobPayload<Q, N>, ctx: { jobId: string; attempt: number }) => Promise<unknown>;
};

/** Parses a job's payload with its registered schema; a bad payload is a permanent failure. */
export function parsePayload<Q extends QueueKey, N extends JobName<Q>>(queue: Q, name: N, data: unknown): JobPayload<Q, N> {
  const schema = (QUEUES[queue].jobs as Record<string, z.ZodType>)[name];
  if (!schema) throw new Error(`no job named ${name} in queue ${queue}`);
  return schema.parse(data) as JobPayload<Q, N>;
}
