import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';

describe('the Redis copy of listings', () => {
  let ds: DataSource;
  let redis: Redis;
  let cache: IpCache;

  before(async () => {
    ds = await testDataSource();
    redis = new Redis(process.env.REDIS_URL!);
    cache = new IpCache(redis, `${process.env.REDIS_PREFIX}-ipcache`);
  });
  after(async () => {
    redis.disconnect();
    await ds.destroy();
  });
  beforeEach(() => truncateAll(ds));

  it('is rebuilt from Postgres: scored IPs, listings (also without a score), and nothing stale', async () => {
    await redis.hset(cache.key, '192.0.2.200', JSON.stringify({ s: 9, u: 0 }));
    await ds.query(`INSERT INTO reputation_subjects (kind, key, score, updated_at) VALUES ('ip', '203.0.113.1', 2.5, '2026-01-01T00:00:00Z'), ('tenant', 'contoso', 7, now())`);
    await ds.query(`INSERT INTO listings (ip, listed_at, reasons) VALUES ('203.0.113.1', '2026-01-01T00:00:00Z', '["r1"]'), ('2001:db8::7', '2026-01-02T00:00:00Z', '["manual: x"]')`);
    expect(await cache.rebuild(ds, 1)).to.equal(2); // batch of 1: the keyset paging is exercised
    expect(await cache.get('203.0.113.1')).to.deep.equal({ s: 2.5, u: Date.parse('2026-01-01T00:00:00Z'), l: { at: Date.parse('2026-01-01T00:00:00Z'), r: ['r1'] } });
    expect(await cache.get('2001:db8::7')).to.deep.equal({ s: 0, u: 0, l: { at: Date.parse('2026-01-02T00:00:00Z'), r: ['manual: x'] } });
    expect(await cache.get('192.0.2.200')).to.equal(null);
    expect(await redis.keys(`${cache.key}:rebuild:*`)).to.deep.equal([]);
  });

  it('removes the key when nothing is scored or listed', async () => {
    await redis.hset(cache.key, '192.0.2.200', '{}');
    expect(await cache.rebuild(ds)).to.equal(0);
    expect(await redis.exists(cache.key)).to.equal(0);
  });

  it('syncs single IPs, deleting the ones Postgres no longer has', async () => {
    await redis.hset(cache.key, '198.51.100.3', JSON.stringify({ s: 1, u: 0, l: { at: 0, r: [] } }));
    await ds.query(`INSERT INTO reputation_subjects (kind, key, score, updated_at) VALUES ('ip', '198.51.100.4', 1, now())`);
    await cache.sync(ds, ['198.51.100.3', '198.51.100.4']);
    expect(await cache.get('198.51.100.3')).to.equal(null);
    expect((await cache.get('198.51.100.4'))?.s).to.equal(1);
  });

  it('fails fast instead of waiting on a Redis that does not answer', async () => {
    // Nothing listens on port 1: commands queue until the timeout rejects them.
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null, retryStrategy: () => 1000 });
    dead.on('error', () => undefined);
    try {
      const err = await new IpCache(dead, 'x').get('203.0.113.1', 100).then(() => null, (e: Error) => e);
      expect(err?.message).to.match(/no answer from Redis in 100 ms/);
    } finally {
      dead.disconnect();
    }
  });
});
