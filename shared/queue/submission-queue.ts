import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES } from './queues.ts';

export type SubmissionQueue = Queue;

/** The producer side of the submissions queue; owns the default job options. */
export function createSubmissionQueue(connection: Redis, prefix: string): SubmissionQueue {
  const queue = new Queue(QUEUES.submissions.name, {
    connection,
    prefix,
    defaultJobOptions: QUEUES.submissions.defaults,
  });
  connections.set(queue, connection);
  return queue;
}

/** The producer connection of each queue, to see whether Redis is up before waiting on it. */
const connections = new WeakMap<SubmissionQueue, Redis>();

/**
 * Queues submissions by id. The job id is the submission id, so adding the same submission twice
 * (an HTTP retry, the sweeper racing the intake) leaves one job.
 */
export async function enqueueSubmissions(queue: SubmissionQueue, ids: readonly string[], timeoutMs = 2000): Promise<void> {
  if (ids.length === 0) return;
  // BullMQ waits for a connection rather than failing: with Redis down that would hold an intake
  // answer forever. Fail fast instead; the submissions are durable and the sweeper queues them.
  const status = connections.get(queue)?.status ?? 'ready';
  if (status !== 'ready') throw new Error(`redis is ${status}`);
  await Promise.race([queue.addBulk(
    ids.map((submissionId) => ({
      name: 'process-submission',
      data: { submissionId },
      opts: { jobId: submissionId },
    })),
  ), rejectAfter(timeoutMs)]);
}

function rejectAfter(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`redis did not answer in ${ms} ms`)), ms).unref());
}
