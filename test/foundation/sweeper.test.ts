import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll, waitForSubmission } from '../helpers/db.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { createRedis } from '../../shared/queue/redis.ts';
import { createSubmissionQueue } from '../../shared/queue/submission-queue.ts';
import { SubmissionWriter } from '../../shared/intake/submission-writer.ts';
import { sweepSubmissions } from '../../workers/maintenance/sweep-submissions.ts';
import { createLogger } from '../../shared/logger.ts';

const SPAM = corpusFile('spam/spamassassin/003.eml');

describe('sweeper', () => {
  let ds: DataSource;
  let svc: TestService;

  before(async () => {
    ds = await testDataSource();
    svc = await startTestService({ ROLES: 'worker' });
  });
  after(async () => {
    await svc.stop();
    await ds.destroy();
  });
  beforeEach(() => truncateAll(ds));

  it('a submission committed while Redis was unreachable is accepted, then re-queued and processed', async () => {
    // A producer whose Redis is a closed port: the commit succeeds, the enqueue fails fast.
    const deadRedis = createRedis('redis://127.0.0.1:1', { failFast: true });
    deadRedis.on('error', () => undefined);
    const deadQueue = createSubmissionQueue(deadRedis, process.env.REDIS_PREFIX!);
    deadQueue.on('error', () => undefined);
    const writer = new SubmissionWriter(ds, deadQueue, createLogger('silent'));
    const accepted = await writer.accept({ channel: 'http', raw: SPAM });
    deadRedis.disconnect();
    expect(accepted.status).to.equal('received');
    const [row] = await ds.query(`SELECT status FROM submissions WHERE id = $1`, [accepted.id]);
    expect(row.status).to.equal('received');

    const redis = createRedis(process.env.REDIS_URL!);
    const queue = createSubmissionQueue(redis, process.env.REDIS_PREFIX!);
    try {
      expect(await sweepSubmissions(ds, queue, 0)).to.equal(1);
    } finally {
      await queue.close();
      redis.disconnect();
    }
    const done = await waitForSubmission(ds, accepted.id);
    expect(done.status).to.equal('processed');
  });

  it('leaves fresh and finished submissions alone', async () => {
    await ds.query(`INSERT INTO raw_messages (sha256, content, size_bytes) VALUES (repeat('b', 64), 'x', 1)`);
    await ds.query(`INSERT INTO submissions (id, channel, received_at, raw_sha256, size_bytes, status) VALUES
      (gen_random_uuid(), 'http', now(), repeat('b', 64), 1, 'received'),
      (gen_random_uuid(), 'http', now() - interval '1 hour', repeat('b', 64), 1, 'processed')`);
    const redis = createRedis(process.env.REDIS_URL!);
    const queue = createSubmissionQueue(redis, process.env.REDIS_PREFIX!);
    try {
      expect(await sweepSubmissions(ds, queue, 60)).to.equal(0);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });
});
