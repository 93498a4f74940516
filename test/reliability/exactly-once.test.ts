import { expect } from 'chai';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { QueueEvents, Worker, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { testDataSource, truncateAll, waitForSubmission } from '../helpers/db.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { createRedis } from '../../shared/queue/redis.ts';
import { createSubmissionQueue, type SubmissionQueue } from '../../shared/queue/submission-queue.ts';
import { QUEUES } from '../../shared/queue/queues.ts';
import { processSubmission } from '../../workers/submissions/process-submission.ts';
import { workerDeps } from './helpers/worker-deps.ts';
import { reportCount, reputationEventCount, seedSubmission } from './helpers/seed.ts';

// 005.eml: a plain 2002 spam with a Received chain; one reported message, so one report row.
const SPAM = corpusFile('spam/spamassassin/005.eml');
const prefix = () => `${process.env.REDIS_PREFIX}-x1-${Math.random().toString(36).slice(2, 8)}`;

/** A worker running the real use case, with short lock/stall settings so recovery happens in seconds. */
function recoveringWorker(ds: DataSource, connection: Redis, queuePrefix: string): Worker {
  const deps = workerDeps(ds, connection, queuePrefix);
  return new Worker(
    QUEUES.submissions.name,
    (job: Job) => processSubmission(deps, job.data.submissionId),
    { connection, prefix: queuePrefix, concurrency: 4, lockDuration: 1500, stalledInterval: 300 },
  );
}

describe('exactly-once effects', () => {
  let ds: DataSource;
  let redis: Redis;
  let queuePrefix: string;
  let queue: SubmissionQueue;
  let events: QueueEvents;
  const workers: Worker[] = [];

  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(async () => {
    await truncateAll(ds);
    queuePrefix = prefix();
    redis = createRedis(process.env.REDIS_URL!);
    queue = createSubmissionQueue(redis, queuePrefix);
    events = new QueueEvents(QUEUES.submissions.name, { connection: createRedis(process.env.REDIS_URL!), prefix: queuePrefix });
    await events.waitUntilReady();
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  const effects = async (id: string) => ({
    reports: await reportCount(ds, id),
    reputation: await reputationEventCount(ds, id),
    subjectReports: ((await ds.query(`SELECT COALESCE(sum(reports), 0)::int AS n FROM reputation_subjects`)) as [{ n: number }])[0].n,
  });

  it('the same submission delivered twice at once, to two workers, writes one set of reports', async () => {
    const id = await seedSubmission(ds, SPAM);
    workers.push(recoveringWorker(ds, createRedis(process.env.REDIS_URL!), queuePrefix));
    workers.push(recoveringWorker(ds, createRedis(process.env.REDIS_URL!), queuePrefix));
    // Two job ids for one submission: a manual retry racing the original, or a duplicate add.
    const jobs = await Promise.all([
      queue.add('process-submission', { submissionId: id }, { jobId: id }),
      queue.add('process-submission', { submissionId: id }, { jobId: `${id}-again` }),
    ]);
    const results = await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 15_000)));
    expect(results.map((r: { outcome: string }) => r.outcome).sort()).to.deep.equal(['already-done', 'processed']);
    const e = await effects(id);
    expect(e.reports).to.equal(1);
    // Each subject's counter moved once per event: a second delivery that slipped past the event's
    // unique key would show as more counts than events.
    expect(e.reputation).to.be.greaterThan(0);
    expect(e.subjectReports).to.equal(e.reputation);
  });

  it('a second delivery after completion changes nothing', async () => {
    const id = await seedSubmission(ds, SPAM);
    workers.push(recoveringWorker(ds, createRedis(process.env.REDIS_URL!), queuePrefix));
    await (await queue.add('process-submission', { submissionId: id }, { jobId: id })).waitUntilFinished(events, 15_000);
    const first = await effects(id);
    const row = await ds.query(`SELECT status, processed_at FROM submissions WHERE id = $1`, [id]);
    const again = await queue.add('process-submission', { submissionId: id }, { jobId: `${id}-redelivered` });
    expect(await again.waitUntilFinished(events, 15_000)).to.deep.equal({ outcome: 'already-done', status: 'processed' });
    expect(await effects(id)).to.deep.equal(first);
    expect(first.reports).to.equal(1);
    expect(first.reputation).to.be.greaterThan(0);
    expect(await ds.query(`SELECT status, processed_at FROM submissions WHERE id = $1`, [id])).to.deep.equal(row);
  });

  it('a worker killed after its commit: BullMQ redelivers the stalled job and nothing is written twice', async function () {
    this.timeout(30_000);
    const id = await seedSubmission(ds, SPAM);
    const child = fork(fileURLToPath(new URL('./helpers/crash-after-commit.worker.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, REDIS_PREFIX: queuePrefix },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', () => reject(new Error('the crash worker exited before it was ready')));
    });
    await queue.add('process-submission', { submissionId: id }, { jobId: id });
    expect(await exited).to.equal('SIGKILL');

    // The commit happened, the ack did not: the job is still active, holding a lock nobody renews.
    expect((await waitForSubmission(ds, id)).status).to.equal('processed');
    expect(await (await queue.getJob(id))!.getState()).to.equal('active');
    const first = await effects(id);

    const completed = new Promise<unknown>((resolve) =>
      events.on('completed', ({ jobId, returnvalue }) => {
        if (jobId === id) resolve(returnvalue);
      }),
    );
    workers.push(recoveringWorker(ds, createRedis(process.env.REDIS_URL!), queuePrefix));
    expect(await completed).to.deep.equal({ outcome: 'already-done', status: 'processed' });
    expect(await effects(id)).to.deep.equal(first);
    expect(first.reports).to.equal(1);
    expect(first.reputation).to.be.greaterThan(0);
  });
});
