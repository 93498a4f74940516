import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.schema.ts';
import { QUEUES } from './queues.ts';
import type { OutboxDispatcher } from '../webhooks/outbox-dispatch.ts';

/** The producer side of the notification and webhook queues (api and worker both enqueue). */
export interface OutboxQueues {
  notifications: Queue;
  webhooks: Queue;
  dispatcher: OutboxDispatcher;
  /** Sends a notification again (a re-drive): its old, finished job is removed first. */
  redriveNotification(id: string): Promise<void>;
  close(): Promise<void>;
}


export function createOutboxQueues(connection: Redis, config: Config): OutboxQueues {
  const notifications = new Queue(QUEUES.notifications.name, {
    connection,
    prefix: config.REDIS_PREFIX,
    defaultJobOptions: { ...QUEUES.notifications.defaults, attempts: config.NOTIFY_MAX_ATTEMPTS, backoff: { type: 'exponential', delay: config.NOTIFY_RETRY_BASE } },
  });
  const webhooks = new Queue(QUEUES.webhooks.name, { connection, prefix: config.REDIS_PREFIX, defaultJobOptions: QUEUES.webhooks.defaults });
  const dispatcher: OutboxDispatcher = {
    async notifications(ids) {
      // Job id = row id: the sweep re-adding a notification whose job still exists adds nothing.
      await notifications.addBulk(ids.map((notificationId) => ({ name: 'send-notification', data: { notificationId }, opts: { jobId: notificationId } })));
    },
    async webhooks(deliveries) {
      // One wake-up per subscription is enough: its job drains every queued delivery in order.
      const bySub = new Map(deliveries.map((d) => [d.subscriptionId, d.id]));
      await webhooks.addBulk([...bySub].map(([subscriptionId, id]) => ({ name: 'deliver', data: { subscriptionId }, opts: { jobId: id } })));
    },
  };
  return {
    notifications,
    webhooks,
    dispatcher,
    async redriveNotification(id) {
      await notifications.remove(id).catch(() => 0); // a job still active keeps its lock: then it is left
      await dispatcher.notifications([id]);
    },
    async close() {
      await notifications.close();
      await webhooks.close();
    },
  };
}
