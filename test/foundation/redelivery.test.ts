import { expect } from 'chai';
import { QueueEvents } from 'bullmq';
import type { DataSource } from 'typeorm';
import { startTestService, bearer, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitForSubmission } from '../helpers/db.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { createRedis } from '../../shared/queue/redis.ts';
import { createSubmissionQueue } from '../../shared/queue/submission-queue.ts';
import { processSubmission } from '../../workers/submissions/process-submission.ts';
import { analyzeWithTenancy } from '../../workers/submissions/analyze-with-tenancy.ts';
import { createLogger } from '../../shared/logger.ts';

// 002.eml: another plain spam; any message with one report will do.
const SPAM = corpusFile('spam/spamassassin/002.eml');

describe('redelivery after commit', () => {
  let svc: TestService;
  let ds: DataSource;
  let key: string;

  before(async () => {
    svc = await startTestService({ ROLES: 'api,worker' });
    ds = await testDataSource();
  });
  after(async () => {
    await svc.stop();
    await ds.destroy();
  });
  beforeEach(async () => {
    await truncateAll(ds);
    key = await bearer(ds, 'intake');
  });

  async function submit(): Promise<string> {
    const res = await fetch(`${svc.url}/v1/intake/email`, {
      method: 'POST', body: new Uint8Array(SPAM), headers: { 'content-type': 'message/rfc822', authorization: key },
    });
    return ((await res.json()) as { id: string }).id;
  }

  const reportCount = async (id: string) =>
    ((await ds.query(`SELECT count(*)::int AS n FROM reports WHERE submission_id = $1`, [id])) as [{ n: number }])[0].n;

  it('a second job for a processed submission changes nothing', async () => {
    const id = await submit();
    await waitForSubmission(ds, id);
    const before = await ds.query(`SELECT id, status, processed_at FROM submissions WHERE id = $1`, [id]);

    const redis = createRedis(process.env.REDIS_URL!);
    const queue = createSubmissionQueue(redis, process.env.REDIS_PREFIX!);
    const events = new QueueEvents('submissions', { connection: createRedis(process.env.REDIS_URL!), prefix: process.env.REDIS_PREFIX! });
    await events.waitUntilReady();
    try {
      // A different job id for the same submission: what a manual retry or a lost-ack redelivery looks like.
      const job = await queue.add('process-submission', { submissionId: id }, { jobId: `${id}-redelivery` });
      const result = await job.waitUntilFinished(events, 10_000);
      expect(result).to.deep.equal({ outcome: 'already-done', status: 'processed' });
    } finally {
      await events.close();
      await queue.close();
      redis.disconnect();
    }
    expect(await reportCount(id)).to.equal(1);
    expect(await ds.query(`SELECT id, status, processed_at FROM submissions WHERE id = $1`, [id])).to.deep.equal(before);
  });

  it('two deliveries running at once write one set of reports', async () => {
    const [{ id }] = await ds.query(
      `INSERT INTO raw_messages (sha256, content, size_bytes) VALUES (repeat('a', 64), $1, $2) ON CONFLICT DO NOTHING;
       `.trim().replace(/;$/, ''),
      [SPAM, SPAM.length],
    ).then(() => ds.query(
      `INSERT INTO submissions (id, channel, received_at, raw_sha256, size_bytes, status)
       VALUES (gen_random_uuid(), 'http', now(), repeat('a', 64), $1, 'queued') RETURNING id`, [SPAM.length]));
    const deps = { ds, log: createLogger('silent'), analyze: analyzeWithTenancy(ds, 5) };
    const outcomes = await Promise.all([processSubmission(deps, id), processSubmission(deps, id), processSubmission(deps, id)]);
    expect(outcomes.filter((o) => o.outcome === 'processed')).to.have.length(1);
    expect(await reportCount(id)).to.equal(1);
  });
});
