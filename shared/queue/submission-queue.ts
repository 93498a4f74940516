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
  await withRedisDeadline(queue, timeoutMs, () => queue.addBulk(
    ids.map((submissionId) => ({
      name: 'process-submission',
      data: { submissionId },
      opts: { jobId: submissionId },
    })),
  ));
}

/**
 * Queues one job for a batch of submissions committed together (job id = `batchId`, recorded on
 * each submission row). One job instead of one per submission: BullMQ's per-job Redis work
 * (a Lua script to add, two to start and finish) was the largest cost of intake after the
 * commit itself. The worker processes the batch's submissions one by one, each exactly once.
 */
export async function enqueueBatch(queue: SubmissionQueue, batchId: string, ids: readonly string[], timeoutMs = 2000): Promise<void> {
  if (ids.length === 0) return;
  await withRedisDeadline(queue, timeoutMs, () =>
    queue.add('process-batch', { submissionIds: [...ids] }, { jobId: batchId }),
  );
}

/**
 * Asks a worker to apply pending trust changes now (`report_trust_changes`). The job id names the
 * change, so a retried request adds one job; if Redis cannot take it, the maintenance schedule
 * applies the change within seconds anyway (the change itself is durable in Postgres).
 */
export async function enqueueTrustChanges(queue: SubmissionQueue, changeId: string, timeoutMs = 2000): Promise<void> {
  await withRedisDeadline(queue, timeoutMs, () => queue.add('apply-trust-changes', {}, { jobId: `trust-${changeId}` }));
}

async function withRedisDeadline(queue: SubmissionQueue, timeoutMs: number, add: () => Promise<unknown>): Promise<void> {
  // BullMQ waits for a connection rather than failing: with Redis down that would hold an intake
  // answer forever. Fail fast instead; the submissions are durable and the sweeper queues them.
  const status = connections.get(queue)?.status ?? 'ready';
  if (status !== 'ready') throw new Error(`redis is ${status}`);
  await Promise.race([add(), rejectAfter(timeoutMs)]);
}

function rejectAfter(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`redis did not answer in ${ms} ms`)), ms).unref());
}
