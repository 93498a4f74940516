import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, parsePayload } from '../../shared/queue/queues.ts';
import type { OutboxQueues } from '../../shared/queue/outbox-queues.ts';
import { sendNotification, type NotificationDeps } from './send-notification.ts';
import { notifyTick } from './notify-tick.ts';

export interface NotificationWorkerOptions {
  connection: Redis;
  prefix: string;
  queues: OutboxQueues;
  /** How often the digest tick and outbox sweep run, in ms. @defaultValue 60000 */
  tickEveryMs?: number;
  /** @defaultValue 4 */
  concurrency?: number;
}

/** Thin adapter over the notification use cases; schedules `notify-tick` (upserted: one schedule for all processes). */
export async function startNotificationWorker(deps: NotificationDeps, opts: NotificationWorkerOptions): Promise<Worker> {
  await opts.queues.notifications.upsertJobScheduler('notify-tick', { every: opts.tickEveryMs ?? 60_000 }, { name: 'notify-tick', data: {}, opts: { attempts: 1 } });
  const worker = new Worker(
    QUEUES.notifications.name,
    async (job: Job) => {
      if (job.name === 'notify-tick') {
        parsePayload('notifications', 'notify-tick', job.data);
        return notifyTick({ ds: deps.ds, tenancy: deps.tenancy, dispatcher: opts.queues.dispatcher, maxPerDay: deps.config.NOTIFY_MAX_PER_DAY });
      }
      const { notificationId } = parsePayload('notifications', 'send-notification', job.data);
      const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const outcome = await sendNotification(deps, notificationId, { finalAttempt });
      if (outcome === 'failed') throw new UnrecoverableError('notification failed for good (see its last_error)');
      return outcome;
    },
    { connection: opts.connection, prefix: opts.prefix, concurrency: opts.concurrency ?? 4 },
  );
  worker.on('failed', (job, err) => deps.log.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'notification job failed'));
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'notification worker error'));
  return worker;
}
