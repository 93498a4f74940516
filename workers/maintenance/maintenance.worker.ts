import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, parsePayload, type HandlerMap } from '../../shared/queue/queues.ts';
import type { Logger } from '../../shared/logger.ts';

export interface MaintenanceOptions {
  connection: Redis;
  prefix: string;
  handlers: HandlerMap<'maintenance'>;
  /** How often each scheduled job runs, in ms. */
  every: Record<keyof HandlerMap<'maintenance'>, number>;
  log: Logger;
}

/**
 * Scheduled housekeeping (sweeper, listing expiry, retention). Job schedulers are upserted by
 * id, so any number of worker processes can start this and one schedule results.
 */
export async function startMaintenance(opts: MaintenanceOptions): Promise<{ worker: Worker; queue: Queue }> {
  const names = Object.keys(QUEUES.maintenance.jobs) as (keyof HandlerMap<'maintenance'>)[];
  for (const name of names) if (typeof opts.handlers[name] !== 'function') throw new Error(`maintenance job ${name} has no handler`);
  const queue = new Queue(QUEUES.maintenance.name, { connection: opts.connection, prefix: opts.prefix, defaultJobOptions: QUEUES.maintenance.defaults });
  for (const name of names) {
    await queue.upsertJobScheduler(name, { every: opts.every[name] }, { name, data: {} });
  }
  const worker = new Worker(
    QUEUES.maintenance.name,
    async (job: Job) => {
      const name = job.name as keyof HandlerMap<'maintenance'>;
      const handler = opts.handlers[name];
      if (!handler) throw new Error(`no handler for maintenance job ${job.name}`);
      const payload = parsePayload('maintenance', name, job.data);
      return handler(payload as never, { jobId: String(job.id), attempt: job.attemptsMade });
    },
    { connection: opts.connection, prefix: opts.prefix, concurrency: 1 },
  );
  worker.on('error', (err) => opts.log.warn({ err: err.message }, 'maintenance worker error'));
  return { worker, queue };
}
