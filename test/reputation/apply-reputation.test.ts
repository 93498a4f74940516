import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { installAfterCommit } from '../../shared/reputation/store/after-commit.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { listingHistory } from '../../shared/reputation/store/listings-repo.ts';
import { expireListings } from '../../workers/reputation/expire-listings.ts';
import { processSubmission } from '../../workers/submissions/process-submission.ts';
import type { ReputationContext } from '../../workers/reputation/apply-reputation.ts';
import { createLogger } from '../../shared/logger.ts';
import { analyzed, insertSubmission, report, settings } from './fixtures.ts';
import { parseTenancy } from '../../shared/tenancy/parse-tenancy.ts';
import { importTenancy } from '../../shared/tenancy/tenancy-store.ts';
import { TenancyCache } from '../../shared/tenancy/tenancy-cache.ts';

const H = 3600_000;
const IP = '203.0.113.7';

describe('reputation in the report transaction', () => {
  let ds: DataSource;
  let redis: Redis;
  let cache: IpCache;
  let clock: number;
  let ctx: ReputationContext;

  before(async () => {
    ds = await testDataSource();
    installAfterCommit(ds, (err) => {
      throw err;
    });
    redis = new Redis(process.env.REDIS_URL!);
    cache = new IpCache(redis, `${process.env.REDIS_PREFIX}-apply`);
  });
  after(async () => {
    redis.disconnect();
    await ds.destroy();
  });
  beforeEach(async () => {
    await truncateAll(ds);
    await redis.del(cache.key);
    clock = Date.parse('2026-03-01T12:00:00Z');
    ctx = { settings: settings({ listThreshold: 3, listMinReporters: 3 }), cache, now: () => clock };
  });

  const score = async (kind: string, key: string) =>
    ((await ds.query(`SELECT score FROM reputation_subjects WHERE kind = $1 AND key = $2`, [kind, key])) as { score: number }[])[0]?.score;

  it('lists an IP once N distinct reporters reach the threshold, and the expiry job removes it as the score decays', async () => {
    const spam = () => [analyzed({ relayIp: IP, originatingIp: IP })];
    expect((await report(ds, ctx, 'alice@example.org', spam())).listed).to.deep.equal([]);
    expect((await report(ds, ctx, 'bob@example.org', spam())).listed).to.deep.equal([]);
    const third = await report(ds, ctx, 'carol@example.org', spam());
    expect(third.listed).to.deep.equal([IP]);
    // The Redis copy was written after the commit.
    expect((await cache.get(IP))?.l?.r.join()).to.contain('3 distinct reporters');

    // One day on, 3 → 1.5: still listed. Two days on, 0.75 < 1: expired.
    clock += 24 * H;
    expect((await expireListings(ds, ctx.settings, cache, new Date(clock))).expired).to.deep.equal([]);
    clock += 24 * H;
    expect((await expireListings(ds, ctx.settings, cache, new Date(clock))).expired).to.deep.equal([IP]);
    expect((await cache.get(IP))?.l).to.equal(undefined);

    const history = await listingHistory(ds.manager, IP);
    expect(history.map((h) => h.action)).to.deep.equal(['expired', 'listed']);
    expect(history[0]!.reason).to.match(/score decayed to 0\.75, below 1/);
    expect(history[1]!.reason).to.contain('score 3 ≥ 3 from 3 distinct reporters');
  });

  it('gives repeats from the same reporter diminishing weight, so one reporter cannot list an IP', async () => {
    for (let i = 0; i < 6; i++) await report(ds, ctx, 'alice@example.org', [analyzed({ relayIp: IP })]);
    expect(await score('ip', IP)).to.be.closeTo(1 + 0.5 + 0.25 + 0.125 + 0.0625 + 0.03125, 1e-9);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM listings`);
    expect(n).to.equal(0);
  });

  it('subtracts for a not-spam report only from a feed that reported the IP before', async () => {
    const feed = { trust: 'feed' as const, identity: 'feed:Example FBL', feedbackLoop: 'Example FBL' };
    await report(ds, ctx, 'alice@example.org', [analyzed({ relayIp: IP, feedbackType: 'abuse' })]);
    await report(ds, ctx, 'fbl@feedback.example.net', [analyzed({ relayIp: IP, feedbackType: 'abuse' })], undefined, feed);
    // A verified reporter's not-spam is evidence only; so is a feed's about an IP it never reported.
    await report(ds, ctx, 'carol@example.org', [analyzed({ relayIp: IP, feedbackType: 'not-spam' })]);
    await report(ds, ctx, 'fbl@other.example', [analyzed({ relayIp: IP, feedbackType: 'not-spam' })], undefined, { ...feed, identity: 'feed:Other', feedbackLoop: 'Other' });
    expect(await score('ip', IP)).to.be.closeTo(2, 1e-9);
    await report(ds, ctx, 'fbl@feedback.example.net', [analyzed({ relayIp: IP, feedbackType: 'not-spam' })], undefined, feed);
    expect(await score('ip', IP)).to.be.closeTo(1, 1e-9);
  });

  it('does not count a redelivered job twice', async () => {
    const reports = [analyzed({ relayIp: IP, tenant: null })];
    const first = await report(ds, ctx, 'alice@example.org', reports);
    expect(first.events).to.be.greaterThan(0);
    // The same submission again: the unique (submission_id, idx) index inserts nothing, so nothing is scored.
    const again = await report(ds, ctx, 'alice@example.org', reports, first.submissionId);
    expect(again.events).to.equal(0);
    expect(await score('ip', IP)).to.equal(1);
  });

  it('does not count a submission processed twice by the worker', async () => {
    const id = await insertSubmission(ds, 'dave@example.org');
    const deps = {
      ds, log: createLogger('silent'), reputation: ctx,
      analyze: () => ({ kind: 'forward' as const, reports: [analyzed({ relayIp: IP, sendingDomain: 'bulk.example' })], reason: null, wrapper: null }),
    };
    expect(await processSubmission(deps, id)).to.deep.equal({ outcome: 'processed', reports: 1 });
    expect((await processSubmission(deps, id)).outcome).to.equal('already-done');
    expect(await score('ip', IP)).to.equal(1);
    expect(await score('domain', 'bulk.example')).to.equal(1);
  });

  it('never lists a platform address and flags the tenant instead', async () => {
    const outbound = () => [analyzed({ direction: 'outbound', relayIp: '40.107.3.4', originatingIp: null, viaPlatform: true, tenant: 'contoso' })];
    const results = [];
    for (const who of ['a@example.org', 'b@example.org', 'c@example.org', 'd@example.org']) results.push(await report(ds, ctx, who, outbound()));
    expect(results.flatMap((r) => r.listed)).to.deep.equal([]);
    expect(results.flatMap((r) => r.flagged)).to.deep.equal(['contoso']);
    expect(await score('ip', '40.107.3.4')).to.equal(4);
    const [flag] = await ds.query(`SELECT tenant_id, reasons FROM tenant_flags`);
    expect(flag.tenant_id).to.equal('contoso');
    expect(flag.reasons.join()).to.contain('distinct reporters');
    expect((await cache.get('40.107.3.4'))?.l).to.equal(undefined);
  });

  it('never lists an address inside the tenancy\'s platform networks, even when a report calls it an outside relay', async () => {
    const tenancy = parseTenancy(JSON.stringify({ platform: { networks: ['40.107.0.0/16'], hostnames: ['outlook.com'], tenantHeaders: [] }, tenants: [] }));
    await importTenancy(ds, tenancy, 'test');
    const cached = new TenancyCache(ds, { refreshMs: 0 });
    ctx = { ...ctx, platformNetworks: async () => (await cached.get()).platformNetworks };
    const results = [];
    for (const who of ['a@example.org', 'b@example.org', 'c@example.org']) results.push(await report(ds, ctx, who, [analyzed({ relayIp: '40.107.7.7' })]));
    expect(results.flatMap((r) => r.listed)).to.deep.equal([]);
    const [row] = await ds.query(`SELECT platform FROM reputation_subjects WHERE kind = 'ip' AND key = '40.107.7.7'`);
    expect(row.platform).to.equal(true);
  });

  it('lists on the complaint rate once volume is known', async () => {
    ctx = { ...ctx, settings: settings({ listThreshold: 100, rateMinVolume: 100 }) };
    await ds.query(`INSERT INTO delivery_volume (kind, key, hour, delivered) VALUES ('ip', $1, $2, 500)`, [IP, new Date(clock - H)]);
    const a = await report(ds, ctx, 'a@example.org', [analyzed({ relayIp: IP })]);
    expect(a.listed).to.deep.equal([]); // 1 / 500 = 0.2%: watch
    const b = await report(ds, ctx, 'b@example.org', [analyzed({ relayIp: IP })]);
    expect(b.listed).to.deep.equal([IP]); // 2 / 500 = 0.4% ≥ 0.3%
    const [l] = await ds.query(`SELECT reasons FROM listings`);
    expect(l.reasons.join()).to.contain('complaint rate 0.4%');
  });

  it('writes nothing to Redis when the transaction rolls back', async () => {
    const id = await insertSubmission(ds, 'eve@example.org');
    const [row] = await ds.query(`SELECT id, channel, received_at, reporter, reporter_trust FROM submissions WHERE id = $1`, [id]);
    ctx = { ...ctx, settings: settings({ listThreshold: 1, listMinReporters: 1 }) };
    const { storeReports } = await import('../../workers/submissions/store-reports.ts');
    const { applyReputation } = await import('../../workers/reputation/apply-reputation.ts');
    // The outcome is asserted outside the transaction: an assertion thrown inside would be caught
    // as the rollback and could never fail the test. Only the deliberate 'boom' is swallowed.
    let listed: string[] | null = null;
    const rolledBack = await ds
      .transaction(async (em) => {
        const reports = [analyzed({ relayIp: IP })];
        listed = (await applyReputation(em, await storeReports(em, row, 'forward', reports), reports, ctx)).listed;
        throw new Error('boom');
      })
      .then(() => false, (err: Error) => {
        if (err.message !== 'boom') throw err;
        return true;
      });
    expect(rolledBack).to.equal(true);
    expect(listed, 'listed inside the transaction that then rolled back').to.deep.equal([IP]);
    expect(await cache.get(IP)).to.equal(null);
    // The next successful transaction does not run the rolled-back callbacks either.
    await report(ds, ctx, 'frank@example.org', [analyzed({ relayIp: '198.51.100.1' })]);
    expect(await cache.get(IP)).to.equal(null);
  });
});
