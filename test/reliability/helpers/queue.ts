import { Worker, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { createRedis } from '../../../shared/queue/redis.ts';
import { createSubmissionQueue, type SubmissionQueue } from '../../../shared/queue/submission-queue.ts';
import { QUEUES } from '../../../shared/queue/queues.ts';
import { createLogger } from '../../../shared/logger.ts';
import { processSubmission } from '../../../workers/submissions/process-submission.ts';
import { processBatch } from '../../../workers/submissions/process-batch.ts';
import { analyzeWithTenancy } from '../../../workers/submissions/analyze-with-tenancy.ts';

/** A queue under its own key prefix (one per test), and everything needed to tear it down. */
export interface TestQueue {
  prefix: string;
  queue: SubmissionQueue;
  workers: Worker[];
  /** A worker running the real use case, with short lock/stall settings so recovery takes seconds. */
  startWorker(ds: DataSource): Worker;
  /** A worker whose every attempt fails with `message` (a crash we control). */
  startFailingWorker(message: string): Worker;
  close(): Promise<void>;
}

export function testQueue(): TestQueue {
  const prefix = `${process.env.REDIS_PREFIX}-q-${Math.random().toString(36).slice(2, 8)}`;
  const redis: Redis = createRedis(process.env.REDIS_URL!);
  const queue = createSubmissionQueue(redis, prefix);
  const workers: Worker[] = [];
  const opts = () => ({ connection: createRedis(process.env.REDIS_URL!), prefix, concurrency: 4, lockDuration: 1500, stalledInterval: 300 });
  return {
    prefix,
    queue,
    workers,
    startWorker(ds) {
      const w = new Worker(
        QUEUES.submissions.name,
        (job: Job) => {
          const deps = { ds, log: createLogger('silent'), analyze: analyzeWithTenancy(ds, 5) };
          return job.name === 'process-batch' ? processBatch(deps, job.data.submissionIds) : processSubmission(deps, job.data.submissionId);
        },
        opts(),
      );
      workers.push(w);
      return w;
    },
    startFailingWorker(message) {
      const w: Worker = new Worker(QUEUES.submissions.name, async (): Promise<unknown> => {
        throw new Error(message);
      }, opts());
      workers.push(w);
      return w;
    },
    async close() {
      for (const w of workers.splice(0)) await w.close();
      await queue.obliterate({ force: true });
      await queue.close();
      redis.disconnect();
    },
  };
}
