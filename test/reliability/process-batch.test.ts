import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { createRedis } from '../../shared/queue/redis.ts';
import { BatchRetryError, processBatch } from '../../workers/submissions/process-batch.ts';
import { Gate } from '../../workers/submissions/gate.ts';
import { INLINE_BUDGET_BYTES, loadSubmissions } from '../../workers/submissions/load-raw.ts';
import type { ProcessDeps } from '../../workers/submissions/process-submission.ts';
import { workerDeps } from './helpers/worker-deps.ts';
import { reportCount, reputationEventCount, seedSubmission } from './helpers/seed.ts';

// Two distinct plain spams with a Received chain: one report each.
const SPAM = corpusFile('spam/spamassassin/005.eml');
const OTHER = corpusFile('spam/spamassassin/006.eml');

describe('batch jobs: one intake batch, each submission processed exactly once', () => {
  let ds: DataSource;
  let redis: Redis;
  let deps: ProcessDeps;

  before(async () => {
    ds = await testDataSource();
    redis = createRedis(process.env.REDIS_URL!);
  });
  after(async () => {
    redis.disconnect();
    await ds.destroy();
  });
  beforeEach(async () => {
    await truncateAll(ds);
    deps = { ...workerDeps(ds, redis, `${process.env.REDIS_PREFIX}-pb`), analysisGate: new Gate(2) };
  });

  const status = async (id: string) => (await ds.query(`SELECT status, error FROM submissions WHERE id = $1`, [id]))[0];

  it('records a permanent failure on that submission alone and finishes the others', async () => {
    const good = await seedSubmission(ds, SPAM);
    const gone = await seedSubmission(ds, OTHER);
    await ds.query(`UPDATE submissions SET raw_sha256 = NULL WHERE id = $1`, [gone]); // as retention leaves it

    expect(await processBatch(deps, [good, gone])).to.deep.equal({ submissions: 2, failed: 1 });
    expect((await status(good)).status).to.equal('processed');
    expect(await status(gone)).to.deep.include({ status: 'failed' });
    expect((await status(gone)).error).to.match(/raw message is gone/);
    expect(await reportCount(ds, good)).to.equal(1);
  });

  it('fails the job on a transient error, and the retry writes only what was left', async () => {
    const good = await seedSubmission(ds, SPAM);
    const flaky = await seedSubmission(ds, OTHER);
    let outages = 1;
    const flakyDeps: ProcessDeps = {
      ...deps,
      analyze: (raw) => {
        if (raw.equals(OTHER) && outages-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        return deps.analyze(raw);
      },
    };
    const first = await processBatch(flakyDeps, [good, flaky]).then(() => null, (e: unknown) => e);
    expect(first).to.be.instanceOf(BatchRetryError);
    expect((first as BatchRetryError).pending).to.equal(1);
    expect((await status(good)).status).to.equal('processed');
    expect((await status(flaky)).status).to.equal('queued');
    const goodEvents = await reputationEventCount(ds, good);

    expect(await processBatch(flakyDeps, [good, flaky])).to.deep.equal({ submissions: 2, failed: 0 });
    expect((await status(flaky)).status).to.equal('processed');
    expect(await reportCount(ds, good)).to.equal(1);
    expect(await reportCount(ds, flaky)).to.equal(1);
    expect(await reputationEventCount(ds, good)).to.equal(goodEvents);
  });

  it('writes each submission once when the job is delivered twice at once and lists an id twice', async () => {
    const ids = [await seedSubmission(ds, SPAM), await seedSubmission(ds, OTHER)];
    await Promise.all([processBatch(deps, [...ids, ids[0]!]), processBatch(deps, ids)]);
    for (const id of ids) {
      expect((await status(id)).status).to.equal('processed');
      expect(await reportCount(ds, id)).to.equal(1);
    }
  });

  it('loads a batch in one query with inline messages up to a byte budget; the rest are read on their own', async () => {
    // Ten messages of ~0.9 MB: under the inline limit each, over the batch budget together.
    const pad = (i: number) => Buffer.concat([SPAM, Buffer.from(`\r\n${String(i).repeat(900_000)}\r\n`)]);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await seedSubmission(ds, pad(i)));
    const loaded = await loadSubmissions(ds, ids);
    const inlineBytes = [...loaded.values()].reduce((n, r) => n + (r.content?.length ?? 0), 0);
    expect(loaded.size).to.equal(10);
    expect(inlineBytes).to.be.at.most(INLINE_BUDGET_BYTES).and.at.least(INLINE_BUDGET_BYTES - 1_000_000);
    expect([...loaded.values()].filter((r) => r.content === null)).to.have.length.greaterThan(0);
    for (const [i, id] of ids.entries()) {
      const row = loaded.get(id)!;
      if (row.content) expect(row.content.equals(pad(i))).to.equal(true);
    }

    expect(await processBatch(deps, ids)).to.deep.equal({ submissions: 10, failed: 0 });
    for (const id of ids) expect(await reportCount(ds, id)).to.equal(1);
  });
});
