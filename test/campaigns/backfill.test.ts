import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { runCli } from '../helpers/spawn-cli.ts';
import { seedSubmission } from '../reliability/helpers/seed.ts';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import { EMPTY_COMPILED_TENANCY } from '../../shared/tenancy/compile-tenancy.ts';
import { commitSubmissions } from '../../workers/submissions/commit-submissions.ts';
import { campaignSpam } from './campaign-mail.ts';


/**
 * `abuse-intake campaigns backfill` as a real process on reports that predate campaigns (stored by
 * the worker, then stripped of every campaign row): it must group them as the worker would, count
 * each once, and change nothing when run again.
 */
describe('campaigns backfill (CLI)', function () {
  this.timeout(120_000);
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(() => truncateAll(ds));

  async function storeOld(raw: Buffer, i: number): Promise<string> {
    const at = new Date(Date.UTC(2026, 2, 3, 10, i));
    const id = await seedSubmission(ds, raw, { receivedAt: at, reporter: `r${i}@victim.example` });
    await ds.transaction(async (em) => commitSubmissions(em, [{ row: { id, channel: 'http', received_at: at, reporter: `r${i}@victim.example` }, analysis: await analyzeSubmission(raw, EMPTY_COMPILED_TENANCY) }]));
    return id;
  }
  const snapshot = async () => ds.query(`SELECT r.submission_id, c.reports, c.reporters FROM reports r JOIN campaigns c ON c.id = r.campaign_id ORDER BY r.submission_id`);

  it('assigns existing reports like the worker, resumably and idempotently, with progress on stderr', async () => {
    const a: string[] = [];
    for (let i = 0; i < 8; i++) a.push(await storeOld(campaignSpam(31, i), i));
    const b: string[] = [];
    for (let i = 0; i < 4; i++) b.push(await storeOld(campaignSpam(32, i), 10 + i));
    const none = await storeOld(campaignSpam(33, 0, { headersOnly: true }), 20);
    const workerGroups = await ds.query(`SELECT submission_id, campaign_id FROM reports`);
    // The reports as they were before campaigns existed.
    await ds.query(`DELETE FROM campaigns`); // cascades to its tables; reports.campaign_id becomes NULL
    await ds.query(`DELETE FROM url_domain_hourly`);
    expect((await ds.query(`SELECT count(*)::int AS n FROM reports WHERE campaign_id IS NOT NULL`))[0].n).to.equal(0);

    const first = runCli(['campaigns', 'backfill', '--batch', '1']);
    expect(first.status, first.stderr).to.equal(0);
    expect(first.stdout).to.contain('13 report(s) read, 12 assigned, 1 without enough content');
    expect(first.stderr).to.match(/campaigns backfill: 10\/13 reports/); // not a terminal: a line per 10 batches

    const groups = new Map<string, string | null>((await ds.query(`SELECT submission_id, campaign_id::text AS c FROM reports`)).map((r: { submission_id: string; c: string | null }) => [r.submission_id, r.c]));
    expect(new Set(a.map((s) => groups.get(s))).size).to.equal(1);
    expect(new Set(b.map((s) => groups.get(s))).size).to.equal(1);
    expect(groups.get(a[0]!)).to.not.equal(groups.get(b[0]!));
    expect(groups.get(none)).to.equal(null);
    // Same grouping as the worker made (campaign ids differ, the partition does not).
    const same = (x: string, y: string) => workerGroups.find((w: { submission_id: string }) => w.submission_id === x).campaign_id === workerGroups.find((w: { submission_id: string }) => w.submission_id === y).campaign_id;
    expect(same(a[0]!, a[7]!) && !same(a[0]!, b[0]!)).to.equal(true);

    const before = await snapshot();
    expect(before.find((r: { submission_id: string }) => r.submission_id === a[0]).reports).to.equal(8);
    const second = runCli(['campaigns', 'backfill']);
    expect(second.status, second.stderr).to.equal(0);
    expect(second.stdout).to.contain('1 report(s) read, 0 assigned');
    expect(await snapshot()).to.deep.equal(before);
    const [{ n }] = await ds.query(`SELECT sum(n)::int AS n FROM url_domain_hourly`);
    expect(n).to.equal(12);
  });

  it('refuses unknown arguments with exit code 2', () => {
    const res = runCli(['campaigns', 'frobnicate']);
    expect(res.status).to.equal(2);
    expect(res.stderr).to.contain('usage: campaigns backfill');
  });
});
