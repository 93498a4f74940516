import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { startTestService, bearer, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { installAfterCommit } from '../../shared/reputation/store/after-commit.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import type { ReputationContext } from '../../workers/reputation/apply-reputation.ts';
import { analyzed, report, settings } from './fixtures.ts';

const IP = '203.0.113.9';

describe('reputation API: lookup, blocklist, volume, manual listings', () => {
  let svc: TestService;
  let ds: DataSource;
  let redis: Redis;
  let ctx: ReputationContext;
  let platform: string;
  let analyst: string;

  before(async () => {
    svc = await startTestService({ ROLES: 'api', PUBLIC_URL: 'https://reputation.example' });
    ds = await testDataSource();
    installAfterCommit(ds, (err) => {
      throw err;
    });
    redis = new Redis(process.env.REDIS_URL!);
    // The same key prefix as the service: the copy the worker would keep is the one the API reads.
    // 2.9: on the real clock three reports decay a little while they arrive.
    ctx = { settings: settings({ listThreshold: 2.9, listMinReporters: 3 }), cache: new IpCache(redis, process.env.REDIS_PREFIX!) };
  });
  after(async () => {
    await svc.stop();
    redis.disconnect();
    await ds.destroy();
  });
  beforeEach(async () => {
    await truncateAll(ds);
    await ctx.cache!.rebuild(ds);
    platform = await bearer(ds, 'platform');
    analyst = await bearer(ds, 'analyst');
  });

  const get = (path: string, key = platform) => fetch(`${svc.url}${path}`, { headers: { authorization: key } });
  const send = (method: string, path: string, body: unknown, key = analyst) =>
    fetch(`${svc.url}${path}`, { method, headers: { authorization: key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const lookup = async (ip: string) => (await (await get(`/v1/lookup/${ip}`)).json()) as Record<string, unknown>;
  const listByReports = async (ip: string) => {
    for (const who of ['a@example.org', 'b@example.org', 'c@example.org']) await report(ds, ctx, who, [analyzed({ relayIp: ip })]);
  };

  it('answers not listed for an unknown IP', async () => {
    expect(await lookup('198.51.100.77')).to.deep.equal({
      ip: '198.51.100.77', listed: false, score: 0, reasons: [], listedAt: null, expiresAt: null, delistUrl: null, smtpResponse: null,
    });
  });

  it('needs a platform or analyst key', async () => {
    expect((await fetch(`${svc.url}/v1/lookup/${IP}`)).status).to.equal(401);
    expect((await get(`/v1/lookup/${IP}`, await bearer(ds, 'intake'))).status).to.equal(403);
    expect((await get(`/v1/lookup/${IP}`, analyst)).status).to.equal(200);
  });

  it('rejects what is not one IP address', async () => {
    for (const bad of ['127.1', '203.0.113.0%2F24', 'example.com', '1.2.3.4,5.6.7.8']) expect((await get(`/v1/lookup/${bad}`)).status, bad).to.equal(400);
  });

  it('reflects a listing, with a ready SMTP response, and its removal', async () => {
    await listByReports(IP);
    const listed = await lookup(IP);
    expect(listed).to.include({ listed: true, score: 3, delistUrl: `https://reputation.example/sender/delist?ip=${IP}` });
    expect(listed.smtpResponse).to.equal(
      `550 5.7.606 Access denied, banned sending IP [${IP}]. To request removal, visit https://reputation.example/sender/delist?ip=${IP}`,
    );
    expect((listed.reasons as string[]).join()).to.contain('3 distinct reporters');
    // 3 → below 1 after log2(3) half-lives.
    expect(Date.parse(listed.expiresAt as string) - Date.parse(listed.listedAt as string)).to.be.closeTo(24 * 3600_000 * Math.log2(3), 5000);

    const del = await send('DELETE', `/v1/listings/${IP}`, { reason: 'sender fixed the open relay' });
    expect(del.status).to.equal(200);
    expect(await lookup(IP)).to.include({ listed: false, smtpResponse: null });
    const subject = (await (await get(`/v1/reputation/ip/${IP}`, analyst)).json()) as { history: { action: string; reason: string }[] };
    expect(subject.history.map((h) => h.action)).to.deep.equal(['manual', 'listed']);
    expect(subject.history[0]!.reason).to.equal('manual: sender fixed the open relay');
    // Removing what is not listed is a 404 and writes no history.
    expect((await send('DELETE', `/v1/listings/${IP}`, { reason: 'again' })).status).to.equal(404);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM listing_history`);
    expect(n).to.equal(2);
  });

  it('lists manually with history, but never a platform address', async () => {
    expect((await send('POST', '/v1/listings/198.51.100.5', { reason: 'snowshoe range' })).status).to.equal(201);
    expect(await lookup('198.51.100.5')).to.include({ listed: true });
    await report(ds, ctx, 'a@example.org', [analyzed({ direction: 'outbound', relayIp: '40.107.9.9', viaPlatform: true, tenant: 'contoso' })]);
    const res = await send('POST', '/v1/listings/40.107.9.9', { reason: 'nope' });
    expect(res.status).to.equal(409);
    expect((await send('POST', '/v1/listings/10.0.0.1', { reason: 'private' })).status).to.equal(400);
  });

  it('lists flagged tenants for analysts, and clears a flag with a reason', async () => {
    for (const who of ['a@example.org', 'b@example.org', 'c@example.org']) {
      await report(ds, ctx, who, [analyzed({ direction: 'outbound', relayIp: '40.107.9.9', viaPlatform: true, tenant: 'contoso' })]);
    }
    const open = (await (await get('/v1/tenant-flags', analyst)).json()) as { flags: { tenant: string; reasons: string[] }[] };
    expect(open.flags.map((f) => f.tenant)).to.deep.equal(['contoso']);
    expect(open.flags[0]!.reasons.join()).to.contain('3 distinct reporters');
    expect((await get('/v1/tenant-flags', platform)).status).to.equal(403);
    expect((await send('POST', '/v1/tenant-flags/contoso/clear', { reason: 'compromised account disabled' })).status).to.equal(200);
    expect(((await (await get('/v1/tenant-flags', analyst)).json()) as { flags: unknown[] }).flags).to.deep.equal([]);
    expect((await send('POST', '/v1/tenant-flags/contoso/clear', { reason: 'again' })).status).to.equal(404);
  });

  describe('blocklist export', () => {
    beforeEach(async () => {
      await listByReports(IP);
      await listByReports('198.51.100.20');
      await send('POST', '/v1/listings/2001:db8::25', { reason: 'ipv6 snowshoe' });
    });

    it('streams JSON with reasons', async () => {
      const res = await get('/v1/blocklist?format=json');
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      const body = (await res.json()) as { count: number; listings: { ip: string; reasons: string[] }[] };
      expect(body.count).to.equal(3);
      expect(body.listings.map((l) => l.ip)).to.have.members(['198.51.100.20', IP, '2001:db8::25']);
      expect(body.listings.find((l) => l.ip === IP)!.reasons.join()).to.contain('distinct reporters');
    });

    it('streams plain text, one IP a line', async () => {
      const text = await (await get('/v1/blocklist?format=text')).text();
      expect(text.split('\n').filter((l) => l && !l.startsWith('#')).sort()).to.deep.equal(['198.51.100.20', '2001:db8::25', IP].sort());
    });

    it('streams an rbldnsd ip4set zone with TXT reasons', async () => {
      const text = await (await get('/v1/blocklist?format=rbldnsd')).text();
      const lines = text.split('\n');
      expect(lines).to.include(':127.0.0.2:Listed by abuse-intake; removal: https://reputation.example/sender/delist?ip=$');
      const entry = lines.find((l) => l.startsWith(`${IP} `))!;
      expect(entry).to.match(/^203\.0\.113\.9 :127\.0\.0\.2:score 3 >= 2\.9 from 3 distinct reporters$/);
      expect(text).to.contain('# 1 IPv6 listings left out');
      expect(lines.some((l) => l.startsWith('2001:db8'))).to.equal(false);
    });

    it('rejects an unknown format', async () => {
      expect((await get('/v1/blocklist?format=csv')).status).to.equal(400);
    });
  });

  describe('POST /v1/volume', () => {
    it('validates the body', async () => {
      for (const bad of [{}, [], [{ hour: 'yesterday', ip: IP, delivered: 5 }], [{ hour: new Date().toISOString(), ip: '10.0.0.300', delivered: 5 }], [{ hour: new Date().toISOString(), ip: IP, delivered: -1 }]]) {
        expect((await send('POST', '/v1/volume', bad, platform)).status, JSON.stringify(bad)).to.equal(400);
      }
    });

    it('needs the platform role', async () => {
      expect((await send('POST', '/v1/volume', [{ hour: new Date().toISOString(), ip: IP, delivered: 5 }], analyst)).status).to.equal(403);
    });

    it('stores hourly counts (a resend replaces) and the complaint rate is shown', async () => {
      const hour = new Date(Date.now() - 3600_000).toISOString();
      const post = (n: number) => send('POST', '/v1/volume', [{ hour, ip: IP, tenant: 'Contoso', delivered: n }], platform);
      expect((await post(999)).status).to.equal(200);
      expect((await post(2000)).status).to.equal(200);
      await report(ds, { ...ctx, now: () => Date.now() }, 'a@example.org', [analyzed({ relayIp: IP })]);
      const s = (await (await get(`/v1/reputation/ip/${IP}`, analyst)).json()) as Record<string, unknown>;
      expect(s).to.include({ complaints24h: 1, delivered24h: 2000, complaintRate: 0.0005, complaintRateLevel: 'ok' });
      const [t] = await ds.query(`SELECT delivered::int AS d FROM delivery_volume WHERE kind = 'tenant' AND key = 'contoso'`);
      expect(t.d).to.equal(2000);
    });
  });
});
