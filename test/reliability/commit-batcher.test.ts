import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Analysis } from '../../shared/analysis/types.ts';
import { CommitBatcher } from '../../workers/submissions/commit-batcher.ts';
import type { ReadySubmission } from '../../workers/submissions/commit-submissions.ts';
import { analyzed, insertSubmission, settings } from '../reputation/fixtures.ts';

const IP = '203.0.113.9';

/** Worker-side group commit: many submissions, one transaction, each still exactly once. */
describe('CommitBatcher (worker group commit)', () => {
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(() => truncateAll(ds));

  const ctx = () => ({ settings: settings(), now: () => Date.parse('2026-03-01T12:00:00Z') });
  const forward = (relayIp: string | null = IP): Analysis => ({ kind: 'forward', reports: [analyzed({ relayIp })], reason: null, wrapper: null });
  const ready = async (analysis: Analysis = forward(), reporter = `r${Math.random()}@example.org`): Promise<ReadySubmission> => {
    const id = await insertSubmission(ds, reporter);
    const [row] = await ds.query(`SELECT id, channel, received_at, reporter FROM submissions WHERE id = $1`, [id]);
    return { row, analysis };
  };
  const statuses = async () => (await ds.query(`SELECT status, count(*)::int AS n FROM submissions GROUP BY 1 ORDER BY 1`)) as { status: string; n: number }[];
  const ipReports = async () => ((await ds.query(`SELECT reports FROM reputation_subjects WHERE kind = 'ip' AND key = $1`, [IP]))[0]?.reports ?? 0) as number;

  it('commits submissions that become ready while a commit is in flight together, in one transaction', async () => {
    const batcher = new CommitBatcher(ds, createLogger('silent'), ctx(), { maxInFlight: 1 });
    const items = await Promise.all(Array.from({ length: 5 }, () => ready()));
    // The first starts a transaction at once; the other four queue behind it and share the next one.
    const outcomes = await Promise.all(items.map((i) => batcher.commit(i)));
    expect(outcomes.map((o) => o.outcome)).to.deep.equal(Array(5).fill('processed'));
    // Rows written by one transaction carry its transaction id in xmin.
    const [{ n }] = await ds.query(`SELECT count(DISTINCT xmin::text)::int AS n FROM submissions`);
    expect(n).to.equal(2);
    expect(await ipReports()).to.equal(5);
  });

  it('writes a submission once when it is in a batch twice, and not again when already final', async () => {
    const batcher = new CommitBatcher(ds, createLogger('silent'), ctx(), { maxInFlight: 1 });
    const item = await ready();
    const outcomes = await Promise.all([batcher.commit(await ready()), batcher.commit(item), batcher.commit(item)]);
    expect(outcomes.map((o) => o.outcome)).to.deep.equal(['processed', 'processed', 'already-done']);
    expect((await batcher.commit(item)).outcome).to.equal('already-done');
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM reports WHERE submission_id = $1`, [item.row.id]);
    expect(n).to.equal(1);
    expect(await ipReports()).to.equal(2);
  });

  it('retries a failed batch one by one, so one poisoned submission does not fail the others', async () => {
    const batcher = new CommitBatcher(ds, createLogger('silent'), ctx(), { maxInFlight: 1 });
    const first = await ready();
    // A value the store refuses (an invalid received time: values from the message itself are made
    // storable before they reach Postgres, see storage-fuzz.test.ts): the whole batch transaction fails on it.
    const poisoned = await ready();
    poisoned.row = { ...poisoned.row, received_at: new Date(Number.NaN) };
    const good = await Promise.all([ready(), ready()]);
    const results = await Promise.allSettled([first, good[0]!, poisoned, good[1]!].map((i) => batcher.commit(i)));
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await statuses()).to.deep.equal([{ status: 'processed', n: 3 }, { status: 'queued', n: 1 }]);
    expect(await ipReports()).to.equal(3);
  });

  it('discards a submission without reported messages in the same batch as processed ones', async () => {
    const batcher = new CommitBatcher(ds, createLogger('silent'), ctx(), { maxInFlight: 1 });
    const empty: Analysis = { kind: 'forward', reports: [], reason: 'no message', wrapper: null };
    const outcomes = await Promise.all([await ready(), await ready(empty), await ready()].map((i) => batcher.commit(i)));
    expect(outcomes.map((o) => o.outcome)).to.deep.equal(['processed', 'discarded', 'processed']);
    const [d] = await ds.query(`SELECT error FROM submissions WHERE status = 'discarded'`);
    expect(d.error).to.equal('forward: no message');
  });
});
