import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES } from './queues.ts';

export type SubmissionQueue = Queue;

/** The producer side of the submissions queue; owns the default job options. */
export function createSubmissionQueue(connection: Redis, prefix: string): SubmissionQueue {
  return new Queue(QUEUES.submissions.name, {
    connection,
    prefix,
    defaultJobOptions: QUEUES.submissions.defaults,
  });
}

/**
 * Queues submissions by id. The job id is the submission id, so adding the same submission twice
 * (an HTTP retry, the sweeper racing the intake) leaves one job.
 */
export async function enqueueSubmissions(queue: SubmissionQueue, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await queue.addBulk(
    ids.map((submissionId) => ({
      name: 'process-submission',
      data: { submissionId },
      opts: { jobId: submissionId },
    })),
  );
}
