import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll, waitForSubmission } from '../helpers/db.ts';
import { startTestService, bearer, type TestService } from '../helpers/service.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { reportCount, seedSubmission } from './helpers/seed.ts';
import { testQueue, type TestQueue } from './helpers/queue.ts';

// 010.eml: a plain spam, processed fine once its failure's cause is gone.
const SPAM = corpusFile('spam/spamassassin/010.eml');
const BIN = fileURLToPath(new URL('../../bin/abuse-intake.js', import.meta.url));
const run = promisify(execFile);

async function cli(args: string[], prefix: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, REDIS_PREFIX: prefix } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const at = (iso: string) => new Date(iso);

describe('failed submissions: listed for admins, re-driven by `requeue --failed`', () => {
  let ds: DataSource;
  let svc: TestService;
  let admin: string;
  let analyst: string;

  before(async () => {
    ds = await testDataSource();
    svc = await startTestService({ ROLES: 'api' });
  });
  after(async () => {
    await svc.stop();
    await ds.destroy();
  });
  beforeEach(async () => {
    await truncateAll(ds);
    admin = await bearer(ds, 'admin');
    analyst = await bearer(ds, 'analyst');
  });

  /** A failed submission; the failure time is set from text so that microseconds are kept. */
  async function seedFailed(error: string, failedAt: Date | string): Promise<string> {
    const iso = typeof failedAt === 'string' ? failedAt : failedAt.toISOString();
    const id = await seedSubmission(ds, SPAM, { status: 'failed', error, receivedAt: new Date(Date.parse(iso) - 60_000) });
    await ds.query(`UPDATE submissions SET processed_at = $2::timestamptz WHERE id = $1`, [id, iso]);
    return id;
  }
  const list = (query: string, key = admin) => fetch(`${svc.url}/v1/admin/failed${query}`, { headers: { authorization: key } });

  describe('GET /v1/admin/failed', () => {
    it('lists failed submissions with their error, most recent failure first, page by page', async () => {
      const a = await seedFailed('cannot parse the message: boom', '2026-11-01T10:00:00.123456Z');
      const b = await seedFailed('gave up after 8 attempts: db down', '2026-11-01T10:00:00.123789Z');
      const c = await seedFailed('the raw message is gone', at('2026-11-02T08:00:00Z'));
      await seedSubmission(ds, SPAM, { status: 'processed' });
      const seen: { id: string; error: string }[] = [];
      let query = '?limit=1';
      for (let page = 0; page < 5; page++) {
        const res = await list(query);
        expect(res.status).to.equal(200);
        const body = (await res.json()) as { items: { id: string; error: string }[]; next: string | null };
        seen.push(...body.items);
        if (!body.next) break;
        query = `?limit=1&cursor=${encodeURIComponent(body.next)}`;
      }
      // a and b failed within the same millisecond: the cursor keeps microseconds, so neither is skipped.
      expect(seen.map((s) => s.id)).to.deep.equal([c, b, a]);
      expect(seen[1]!.error).to.equal('gave up after 8 attempts: db down');
    });

    it('filters by ?since (failure time)', async () => {
      await seedFailed('old', at('2026-10-01T00:00:00Z'));
      const recent = await seedFailed('recent', at('2026-11-20T00:00:00Z'));
      const body = (await (await list('?since=2026-11-01T00:00:00Z')).json()) as { items: { id: string }[] };
      expect(body.items.map((i) => i.id)).to.deep.equal([recent]);
    });

    it('is for admins only', async () => {
      expect((await list('', analyst)).status).to.equal(403);
      expect((await fetch(`${svc.url}/v1/admin/failed`)).status).to.equal(401);
    });

    it('refuses a forged cursor and a bad limit with 400', async () => {
      expect((await list('?cursor=bm9wZQ')).status).to.equal(400);
      const forged = Buffer.from(JSON.stringify({ at: "2026-01-01'; DROP TABLE submissions; --", id: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
      expect((await list(`?cursor=${forged}`)).status).to.equal(400);
      expect((await list('?limit=0')).status).to.equal(400);
    });
  });

  describe('requeue --failed', () => {
    let q: TestQueue;
    beforeEach(() => {
      q = testQueue();
    });
    afterEach(() => q.close());

    it('resets failed submissions (also one whose old job sits in the failed set) and they get processed', async function () {
      this.timeout(60_000); // each CLI run starts a fresh node + tsx: seconds on a busy machine
      const withOldJob = await seedSubmission(ds, SPAM, { status: 'queued' });
      const failing = q.startFailingWorker('cannot connect to the analysis service');
      await q.queue.add('process-submission', { submissionId: withOldJob }, { jobId: withOldJob, attempts: 1 });
      await once(failing, 'failed');
      await failing.close();
      await ds.query(`UPDATE submissions SET status = 'failed', error = 'gave up', processed_at = now() WHERE id = $1`, [withOldJob]);
      const noJob = await seedFailed('boom', new Date());

      const out = await cli(['requeue', '--failed'], q.prefix);
      expect(out.code, out.stderr).to.equal(0);
      expect(out.stdout).to.match(/^requeued 2 failed submission\(s\)\n/);
      expect(out.stdout).to.include(withOldJob).and.include(noJob);

      q.startWorker(ds);
      for (const id of [withOldJob, noJob]) {
        expect((await waitForSubmission(ds, id)).status).to.equal('processed');
        expect(await reportCount(ds, id)).to.equal(1);
      }
    });

    it('--since takes only what failed after it; what retention emptied stays failed', async function () {
      this.timeout(60_000); // each CLI run starts a fresh node + tsx: seconds on a busy machine
      const old = await seedFailed('old failure', at('2026-01-01T00:00:00Z'));
      const recent = await seedFailed('recent failure', new Date());
      const emptied = await seedFailed('recent too, raw deleted', new Date());
      await ds.query(`UPDATE submissions SET raw_sha256 = NULL WHERE id = $1`, [emptied]);

      const out = await cli(['requeue', '--failed', '--since', '2026-06-01'], q.prefix);
      expect(out.code, out.stderr).to.equal(0);
      expect(out.stdout).to.equal(`requeued 1 failed submission(s); 1 left failed: their raw message was deleted by retention\n${recent}\n`);
      const statuses = await ds.query(`SELECT id, status FROM submissions WHERE id = ANY($1::uuid[])`, [[old, recent, emptied]]);
      expect(Object.fromEntries(statuses.map((r: { id: string; status: string }) => [r.id, r.status]))).to.deep.equal({
        [old]: 'failed', [recent]: 'queued', [emptied]: 'failed',
      });
    });

    it('exits 2 on bad arguments', async function () {
      this.timeout(60_000); // each CLI run starts a fresh node + tsx: seconds on a busy machine
      expect((await cli(['requeue'], q.prefix)).code).to.equal(2);
      expect((await cli(['requeue', '--failed', '--since', 'yesterday'], q.prefix)).code).to.equal(2);
    });
  });
});
