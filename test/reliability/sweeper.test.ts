import { expect } from 'chai';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll, waitForSubmission, waitUntil } from '../helpers/db.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { sweepSubmissions } from '../../workers/maintenance/sweep-submissions.ts';
import { reportCount, seedSubmission } from './helpers/seed.ts';
import { testQueue, type TestQueue } from './helpers/queue.ts';

// 006.eml: a plain spam; what matters here is the path a submission takes, not its content.
const SPAM = corpusFile('spam/spamassassin/006.eml');
const HOUR_AGO = () => new Date(Date.now() - 3600_000);

describe('sweeper: re-driving what is committed but not finished', () => {
  let ds: DataSource;
  let q: TestQueue;

  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(async () => {
    await truncateAll(ds);
    q = testQueue();
  });
  afterEach(() => q.close());

  const state = async (id: string) => (await q.queue.getJob(id))?.getState();

  it('adds a job Redis lost (a restart without the data), and it gets processed', async () => {
    const id = await seedSubmission(ds, SPAM, { status: 'queued', receivedAt: HOUR_AGO() });
    expect(await q.queue.getJob(id)).to.equal(undefined);
    expect(await sweepSubmissions(ds, q.queue, 30)).to.equal(1);
    expect(await state(id)).to.equal('waiting');
    q.startWorker(ds);
    expect((await waitForSubmission(ds, id)).status).to.equal('processed');
    expect(await reportCount(ds, id)).to.equal(1);
  });

  it('moves a `received` submission (never queued) to `queued`', async () => {
    const id = await seedSubmission(ds, SPAM, { status: 'received', receivedAt: HOUR_AGO() });
    expect(await sweepSubmissions(ds, q.queue, 30)).to.equal(1);
    const [row] = await ds.query(`SELECT status FROM submissions WHERE id = $1`, [id]);
    expect(row.status).to.equal('queued');
  });

  it('leaves waiting jobs and young submissions alone', async () => {
    const waiting = await seedSubmission(ds, SPAM, { status: 'queued', receivedAt: HOUR_AGO() });
    await q.queue.add('process-submission', { submissionId: waiting }, { jobId: waiting });
    await seedSubmission(ds, SPAM, { status: 'received' });
    expect(await sweepSubmissions(ds, q.queue, 30)).to.equal(0);
    expect(await state(waiting)).to.equal('waiting');
  });

  it('retries a job that failed while its submission never got a final status', async () => {
    // E.g. the worker gave up while Postgres was down, so its `failed` mark never landed.
    const id = await seedSubmission(ds, SPAM, { status: 'queued', receivedAt: HOUR_AGO() });
    const failing = q.startFailingWorker('database went away');
    await q.queue.add('process-submission', { submissionId: id }, { jobId: id, attempts: 1 });
    await once(failing, 'failed');
    await failing.close();
    expect(await state(id)).to.equal('failed');

    expect(await sweepSubmissions(ds, q.queue, 30)).to.equal(1);
    q.startWorker(ds);
    expect((await waitForSubmission(ds, id)).status).to.equal('processed');
    expect(await reportCount(ds, id)).to.equal(1);
  });

  it('marks a submission failed when its job was started `attempts` times without finishing (a poison message)', async () => {
    const id = await seedSubmission(ds, SPAM, { status: 'queued', receivedAt: HOUR_AGO() });
    const failing = q.startFailingWorker('worker crashed on this message');
    await q.queue.add('process-submission', { submissionId: id }, { jobId: id, attempts: 8, backoff: 0 });
    await waitUntil(async () => ((await state(id)) === 'failed' ? true : undefined), 'the job to exhaust its attempts');
    await failing.close();

    expect(await sweepSubmissions(ds, q.queue, 30)).to.equal(0);
    const [row] = await ds.query(`SELECT status, error FROM submissions WHERE id = $1`, [id]);
    expect(row.status).to.equal('failed');
    expect(row.error).to.match(/gave up after 8 starts: worker crashed on this message/);
  });

  it('retries a completed job whose submission was reset (requeued) after it ran', async () => {
    const id = await seedSubmission(ds, SPAM, { status: 'queued', receivedAt: HOUR_AGO() });
    const worker = q.startWorker(ds);
    await q.queue.add('process-submission', { submissionId: id }, { jobId: id });
    await waitForSubmission(ds, id);
    await worker.close();
    await ds.query(`DELETE FROM reports WHERE submission_id = $1`, [id]);
    await ds.query(`UPDATE submissions SET status = 'received', processed_at = NULL WHERE id = $1`, [id]);
    expect(await state(id)).to.equal('completed');

    expect(await sweepSubmissions(ds, q.queue, 30)).to.equal(1);
    q.startWorker(ds);
    expect((await waitForSubmission(ds, id)).status).to.equal('processed');
    expect(await reportCount(ds, id)).to.equal(1);
  });

  describe('submissions queued with an intake batch job', () => {
    it('leaves them alone while the batch job is still to run', async () => {
      const batchId = randomUUID();
      const ids = [
        await seedSubmission(ds, SPAM, { status: 'received', receivedAt: HOUR_AGO(), batchId }),
        await seedSubmission(ds, SPAM, { status: 'received', receivedAt: HOUR_AGO(), batchId }),
      ];
      await q.queue.add('process-batch', { submissionIds: ids }, { jobId: batchId });
      expect(await sweepSubmissions(ds, q.queue, 30)).to.equal(0);
      for (const id of ids) expect(await q.queue.getJob(id)).to.equal(undefined);
    });

    it('gives a submission its own job when its batch job failed without finishing it', async () => {
      const batchId = randomUUID();
      const done = await seedSubmission(ds, SPAM, { status: 'processed', receivedAt: HOUR_AGO(), batchId, processedAt: HOUR_AGO() });
      const stuck = await seedSubmission(ds, SPAM, { status: 'received', receivedAt: HOUR_AGO(), batchId });
      const failing = q.startFailingWorker('database went away');
      await q.queue.add('process-batch', { submissionIds: [done, stuck] }, { jobId: batchId, attempts: 1 });
      await once(failing, 'failed');
      await failing.close();

      expect(await sweepSubmissions(ds, q.queue, 30)).to.equal(1);
      expect(await state(stuck)).to.equal('waiting');
      expect(await q.queue.getJob(done)).to.equal(undefined);
      q.startWorker(ds);
      expect((await waitForSubmission(ds, stuck)).status).to.equal('processed');
      expect(await reportCount(ds, stuck)).to.equal(1);
    });
  });
});
