import { expect } from 'chai';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitUntil } from '../helpers/db.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { addListing } from '../../shared/reputation/store/listings-repo.ts';
import { confirmRequest, createRequest, findByToken, LINK_TTL_MS } from '../../api/delist/delist-service.ts';
import { settings } from './fixtures.ts';
import { Browserless, csrfOf } from './portal-helpers.ts';

/**
 * The delist link is single-use and expires (ARCHITECTURE.md, "Delist portal"): two confirmations of
 * one link racing each other get exactly one decision, and a link past LINK_TTL_MS does nothing — in
 * the service and over HTTP.
 */
const IP = '198.51.100.77';

describe('delist links: single use under concurrency, and expiry', () => {
  let ds: DataSource;
  let redis: Redis;
  let cache: IpCache;
  let svc: TestService;
  const s = settings();

  before(async () => {
    ds = await testDataSource();
    redis = new Redis(process.env.REDIS_URL!);
    cache = new IpCache(redis, `${process.env.REDIS_PREFIX}-tokens`);
    svc = await startTestService({ ROLES: 'api', DELIST_RATE_PER_IP: '1000' });
  });
  after(async () => {
    await svc.stop();
    redis.disconnect();
    await ds.destroy();
  });
  beforeEach(() => truncateAll(ds));

  async function listedRequest(now: Date): Promise<{ id: string; token: string }> {
    await ds.transaction((em) => addListing(em, IP, ['test listing'], 'system', new Date(now.getTime() - 3600_000)));
    const created = await createRequest(ds, IP, 'postmaster@sender.example', '203.0.113.1', now);
    expect(created).to.not.equal(null);
    return created!;
  }

  it('two concurrent confirmations of one link: one decides, the other finds the link used', async () => {
    const now = new Date();
    const { id, token } = await listedRequest(now);
    // Hold the request row so both confirmations are in flight at once, whatever they lock first.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM delist_requests WHERE id = $1 FOR UPDATE`, [id]);
      const both = [0, 1].map(() => confirmRequest(ds, cache, s, token, '203.0.113.2', now).then(
        (out) => ({ ok: true as const, status: out.status }),
        (err: Error & { code?: string }) => ({ ok: false as const, code: err.code }),
      ));
      // Both wait on a row lock: each has read (or is reading) the request before either commits.
      // (Asked outside the holder's transaction: pg_stat_activity is a snapshot within one.)
      await waitUntil(async () => {
        const [r] = await ds.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return r.n >= 2 ? true : undefined;
      }, 'both confirmations to wait on the request row');
      await holder.query('COMMIT');
      const results = await Promise.all(both);
      expect(results.filter((r) => r.ok), JSON.stringify(results)).to.have.length(1);
      expect(results.filter((r) => !r.ok).map((r) => (r as { code?: string }).code)).to.deep.equal(['not_found']);
    } finally {
      await holder.end();
    }
    const audits: { action: string }[] = await ds.query(`SELECT action FROM delist_audit WHERE request_id = $1 AND action = 'confirmed'`, [id]);
    expect(audits).to.have.length(1);
  });

  it('a link works until LINK_TTL_MS after it was created, and never after', async () => {
    const now = new Date();
    const { token } = await listedRequest(now);
    const justBefore = new Date(now.getTime() + LINK_TTL_MS - 1);
    const at = new Date(now.getTime() + LINK_TTL_MS);
    expect(await findByToken(ds.manager, token, justBefore)).to.not.equal(null);
    expect(await findByToken(ds.manager, token, at)).to.equal(null);
    const late = await confirmRequest(ds, cache, s, token, null, at).catch((err: Error & { code?: string }) => err.code);
    expect(late).to.equal('not_found');
    const [listing] = await ds.query(`SELECT 1 AS listed FROM listings WHERE ip = $1`, [IP]);
    expect(listing?.listed, 'an expired link delists nothing').to.equal(1);
    const [request] = await ds.query(`SELECT used_at, status FROM delist_requests`);
    expect(request).to.deep.equal({ used_at: null, status: 'unconfirmed' });
  });

  it('over HTTP: an expired link shows "not valid" on the page and on the Delist button', async () => {
    const { id, token } = await listedRequest(new Date());
    const client = new Browserless();
    const page = await client.fetch(`${svc.url}/sender/delist/confirm?token=${token}`);
    expect(page.status).to.equal(200);
    const csrf = csrfOf(page.body);
    // The link's 24 hours pass (the service reads the real clock).
    await ds.query(`UPDATE delist_requests SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expect((await client.fetch(`${svc.url}/sender/delist/confirm?token=${token}`)).status).to.equal(404);
    const posted = await client.post(`${svc.url}/sender/delist/confirm`, { _csrf: csrf, token });
    expect(posted.status).to.equal(404);
    expect(posted.body).to.include('expired');
    const [listing] = await ds.query(`SELECT 1 AS listed FROM listings WHERE ip = $1`, [IP]);
    expect(listing?.listed).to.equal(1);
  });
});
