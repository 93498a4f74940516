import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dropDatabase, ensureDatabase } from '../../shared/db/ensure-database.ts';
import { MIGRATIONS } from '../../shared/db/migrations/index.ts';
import { TrustModel1764350000000 } from '../../shared/db/migrations/1764350000000-trust-model.ts';
import { createDataSource } from '../../shared/db/data-source.ts';
import { expireListings } from '../../workers/reputation/expire-listings.ts';
import { settings } from '../reputation/fixtures.ts';

const POISONED = '209.85.220.41';
const FROM_KEY = '198.51.100.80';
const MANUAL = '198.51.100.81';
const MIXED = '198.51.100.82';

describe('trust migration of existing rows', () => {
  // A database of its own, migrated up to just before the trust model, filled as the old code did.
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname += '_trustmig';
  let ds: DataSource;
  after(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await dropDatabase(url.toString());
  });

  it('marks rows by channel, withdraws what anonymous reports did, recomputes scores and reporters, keeps manual listings', async function () {
    this.timeout(60_000);
    await ensureDatabase(url.toString());
    const upTo = MIGRATIONS.indexOf(TrustModel1764350000000);
    const old = new DataSource({ type: 'postgres', url: url.toString(), migrations: MIGRATIONS.slice(0, upTo), migrationsTransactionMode: 'each' });
    await old.initialize();
    await old.runMigrations();
    const hourAgo = new Date(Date.now() - 3600_000);
    const sub = async (channel: string, reporter: string, ip: string) => {
      const id = randomUUID();
      const report = randomUUID();
      await old.query(`INSERT INTO submissions (id, channel, received_at, reporter, size_bytes, status) VALUES ($1, $2, $3, $4, 10, 'processed')`, [id, channel, hourAgo, reporter]);
      await old.query(
        `INSERT INTO reports (id, submission_id, idx, received_at, channel, reporter, kind, received_chain, relay_ip, originating_ip)
         VALUES ($1, $2, 0, $3, $4, $5, 'forward', '[]', $6, $6)`,
        [report, id, hourAgo, channel, reporter, ip],
      );
      await old.query(`INSERT INTO reputation_events (report_id, kind, key, reporter, weight, reason, at) VALUES ($1, 'ip', $2, $3, 1, 'old', $4)`, [report, ip, reporter, hourAgo]);
      await old.query(`INSERT INTO reputation_reporters (kind, key, reporter, reports, last_at) VALUES ('ip', $1, $2, 1, $3)`, [ip, reporter, hourAgo]);
      return id;
    };
    // The attack as it worked before: three made-up forwarders listed a Google server.
    for (const who of ['ann@made-up.example', 'bob@made-up.example', 'cy@made-up.example']) await sub('smtp', who, POISONED);
    const fromKey = await sub('http', 'Mta@Platform.example', FROM_KEY);
    // One IP reported by both: the intake key's report still counts, the forwarder's no longer.
    await sub('http', 'relay@platform.example', MIXED);
    await sub('smtp', 'dan@made-up.example', MIXED);
    await old.query(
      `INSERT INTO reputation_subjects (kind, key, score, updated_at, reports, last_report_at) VALUES ('ip', $1, 3, $2, 3, $2), ('ip', $3, 1, $2, 1, $2), ('ip', $4, 2, $2, 2, $2)`,
      [POISONED, hourAgo, FROM_KEY, MIXED],
    );
    await old.query(`INSERT INTO listings (ip, listed_at, reasons) VALUES ($1, $2, '["score 3 ≥ 3 from 3 distinct reporters"]'), ($3, $2, '["manual: known bad"]')`, [POISONED, hourAgo, MANUAL]);
    await old.query(`INSERT INTO listing_history (ip, action, reason, actor, at) VALUES ($1, 'listed', 'score', 'system', $3), ($2, 'manual', 'manual: known bad', 'analyst:a', $3)`, [POISONED, MANUAL, hourAgo]);
    await old.destroy();

    ds = createDataSource({ url: url.toString(), poolSize: 2 });
    await ds.initialize();
    expect((await ds.runMigrations()).map((m) => m.name)).to.include('TrustModel1764350000000');

    const subs: { channel: string; reporter_trust: string; reporter_identity: string | null }[] = await ds.query(`SELECT channel, reporter_trust, reporter_identity FROM submissions ORDER BY channel`);
    expect(subs.map((s) => [s.channel, s.reporter_trust])).to.deep.equal([['http', 'platform'], ['http', 'platform'], ...Array(4).fill(['smtp', 'anonymous'])]);
    expect(subs.map((s) => s.reporter_identity).filter(Boolean).sort()).to.deep.equal(['key:before-trust/mta@platform.example', 'key:before-trust/relay@platform.example']);
    const reports: { channel: string; reporter_trust: string }[] = await ds.query(`SELECT channel, reporter_trust FROM reports WHERE submission_id = $1`, [fromKey]);
    expect(reports).to.deep.equal([{ channel: 'http', reporter_trust: 'platform' }]);

    const events: { key: string; withdrawn: boolean; reason: string | null }[] = await ds.query(
      `SELECT key, withdrawn_at IS NOT NULL AS withdrawn, withdrawn_reason AS reason FROM reputation_events ORDER BY key, reporter`);
    expect(events.filter((e) => e.key === POISONED).every((e) => e.withdrawn && /trust migration: .*anonymous, below REPUTATION_MIN_TRUST/.test(e.reason!))).to.equal(true);
    expect(events.find((e) => e.key === FROM_KEY)!.withdrawn).to.equal(false);

    const scores = new Map(((await ds.query(`SELECT key, score, reports FROM reputation_subjects`)) as { key: string; score: number; reports: number }[]).map((s) => [s.key, s]));
    expect(scores.get(POISONED)).to.deep.include({ score: 0, reports: 0 });
    expect(scores.get(FROM_KEY)).to.deep.include({ score: 1, reports: 1 }); // only platform reports: untouched
    expect(scores.get(MIXED)!.score).to.be.closeTo(2 ** (-1 / 24), 0.001); // recomputed at migration time from the one event left
    expect(scores.get(MIXED)!.reports).to.equal(1);
    const reporters: { key: string; reporter: string }[] = await ds.query(`SELECT key, reporter FROM reputation_reporters ORDER BY key`);
    expect(reporters).to.deep.equal([{ key: FROM_KEY, reporter: 'Mta@Platform.example' }, { key: MIXED, reporter: 'relay@platform.example' }]);

    const listings: { ip: string; manual: boolean }[] = await ds.query(`SELECT host(ip) AS ip, manual FROM listings ORDER BY ip`);
    expect(listings).to.deep.equal([{ ip: MANUAL, manual: true }, { ip: POISONED, manual: false }]);
    // The rules end the poisoned listing (its score is gone); the analyst's stays.
    expect((await expireListings(ds, settings(), null)).expired).to.deep.equal([POISONED]);
    expect(((await ds.query(`SELECT host(ip) AS ip FROM listings`)) as { ip: string }[]).map((l) => l.ip)).to.deep.equal([MANUAL]);
  });
});
