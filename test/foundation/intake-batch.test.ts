import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { SubmissionWriter } from '../../shared/intake/submission-writer.ts';
import { createLogger } from '../../shared/logger.ts';
import { testQueue, type TestQueue } from '../reliability/helpers/queue.ts';

const SPAM = corpusFile('spam/spamassassin/003.eml');

describe('intake group commit: one statement and one batch job per batch', () => {
  let ds: DataSource;
  let q: TestQueue;

  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(async () => {
    await truncateAll(ds);
    q = testQueue(); // no worker: the jobs stay where the intake put them
    await q.queue.waitUntilReady();
  });
  afterEach(() => q.close());

  it('records the batch on each submission and queues one job per batch listing exactly its submissions', async () => {
    const writer = new SubmissionWriter(ds, q.queue, createLogger('silent'), { maxInFlight: 1 });
    // With one batch in flight, the first message commits alone and the other nine gather behind it.
    const accepted = await Promise.all(
      Array.from({ length: 10 }, (_, i) => writer.accept({ channel: 'http', raw: Buffer.concat([Buffer.from(`X-N: ${i}\r\n`), SPAM]) })),
    );
    expect(accepted.every((a) => a.status === 'queued' && !a.duplicate)).to.equal(true);
    const rows: { id: string; batch_id: string; status: string }[] = await ds.query(`SELECT id, batch_id, status FROM submissions`);
    expect(rows).to.have.length(10);
    expect(rows.every((r) => r.status === 'received' && r.batch_id)).to.equal(true);
    const batches = new Map<string, string[]>();
    for (const r of rows) batches.set(r.batch_id, [...(batches.get(r.batch_id) ?? []), r.id]);
    expect(batches.size).to.equal(2);
    for (const [batchId, ids] of batches) {
      const job = await q.queue.getJob(batchId);
      expect(job?.name).to.equal('process-batch');
      expect([...job!.data.submissionIds].sort()).to.deep.equal([...ids].sort());
    }
    expect((await q.queue.getJobCounts('waiting')).waiting).to.equal(2);
  });

  it('leaves an idempotent repeat out of the batch job', async () => {
    const writer = new SubmissionWriter(ds, q.queue, createLogger('silent'), { maxInFlight: 1 });
    const first = await writer.accept({ channel: 'http', raw: SPAM, idempotencyKey: 'k-1' });
    const [again, other] = await Promise.all([
      writer.accept({ channel: 'http', raw: SPAM, idempotencyKey: 'k-1' }),
      writer.accept({ channel: 'http', raw: Buffer.concat([Buffer.from('X-N: 2\r\n'), SPAM]) }),
    ]);
    expect(again).to.deep.equal({ id: first.id, status: 'queued', duplicate: true });
    const [{ batch_id: batchId }] = await ds.query(`SELECT batch_id FROM submissions WHERE id = $1`, [other.id]);
    expect((await q.queue.getJob(batchId))!.data.submissionIds).to.deep.equal([other.id]);
    expect((await ds.query(`SELECT count(*)::int AS n FROM submissions`))[0].n).to.equal(2);
  });
});
