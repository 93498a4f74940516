// Child process for the crash-after-commit test: takes one submission job, runs the real use case
// up to its commit, then dies with SIGKILL before BullMQ can record the job as completed — what a
// worker killed by the OOM killer or a power cut between commit and ack looks like.
import { Worker } from 'bullmq';
import { createRedis } from '../../../shared/queue/redis.ts';
import { createDataSource } from '../../../shared/db/data-source.ts';
import { QUEUES } from '../../../shared/queue/queues.ts';
import { processSubmission } from '../../../workers/submissions/process-submission.ts';
import { workerDeps } from './worker-deps.ts';

const ds = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 2 });
await ds.initialize();
const deps = workerDeps(ds, createRedis(process.env.REDIS_URL!), process.env.REDIS_PREFIX!);
const worker = new Worker(
  QUEUES.submissions.name,
  async (job) => {
    await processSubmission(deps, job.data.submissionId);
    process.send?.('committed');
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
  },
  // A short lock and stall interval (all workers of a queue share one stalled-check clock) so the
  // surviving worker finds the orphaned job within seconds.
  { connection: createRedis(process.env.REDIS_URL!), prefix: process.env.REDIS_PREFIX!, lockDuration: 1500, stalledInterval: 300, autorun: true },
);
await worker.waitUntilReady();
process.send?.('ready');
