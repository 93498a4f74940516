import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { bearer, resetStores, startTestService, type ServiceFixture } from '../helpers/service.ts';
import { testDataSource, waitUntil } from '../helpers/db.ts';
import { startCaptureServer, type CaptureServer } from '../helpers/smtp-capture.ts';
import { testConfig } from '../helpers/config.ts';
import { reputationSettings } from '../../shared/reputation/settings.ts';
import { expireListings } from '../../workers/reputation/expire-listings.ts';
import { apiChannel, arfReport, formChannel, forgedReceived, forgedTenant, intakeChannel, smtpChannel, type Channel } from './channels.ts';
import { waitAllProcessed } from './helpers.ts';

// Issue 11's two attacks, replayed through every channel a stranger can reach. Defaults as shipped:
// LIST_THRESHOLD 5 with 3 distinct reporters, REPUTATION_MIN_TRUST verified.
const GOOGLE = '209.85.220.41';
const LISTED = '198.51.100.99';
const TENANCY = fileURLToPath(new URL('../fixtures/trust/trust-tenancy.yaml', import.meta.url));
describe('issue 11 attacks through every channel', () => {
  const f = {} as ServiceFixture & { capture: CaptureServer };
  before(async () => {
    f.capture = await startCaptureServer();
    f.svc = await startTestService({
      ROLES: 'api,smtp,worker', TENANCY_FILE: TENANCY, MAIL_RELAY_URL: f.capture.url, PUBLIC_URL: 'https://abuse.example',
      WEBFORM_LIMIT_PER_IP: '1000', WEBFORM_LIMIT_PER_REPORTER: '1000', CONFIRM_MAILS_PER_IP: '1000',
    });
    f.ds = await testDataSource();
  });
  after(async () => {
    await f.svc?.stop();
    await f.ds?.destroy();
    await f.capture?.close();
  });
  beforeEach(() => resetStores(f.svc, f.ds, ['tenancy_state', 'tenants'])); // keep the imported tenancy: its feedback loop is what the forgers claim to be

  const channels: Record<string, () => Promise<Channel>> = {
    SMTP: async () => smtpChannel(f.svc),
    'web form': async () => formChannel(f.svc),
    'POST /v1/reports': async () => apiChannel(f.svc),
    'HTTP intake with an anonymous-trust key': () => intakeChannel(f.svc, f.ds, { trust: 'anonymous' }),
  };

  const lookup = async (ip: string) => {
    const res = await fetch(`${f.svc.url}/v1/lookup/${ip}`, { headers: { authorization: await bearer(f.ds, 'platform') } });
    return (await res.json()) as { listed: boolean; score: number };
  };
  const zone = async () => (await fetch(`${f.svc.url}/v1/blocklist?format=rbldnsd`, { headers: { authorization: await bearer(f.ds, 'platform') } })).text();
  const count = async (sql: string) => ((await f.ds.query(sql)) as { n: number }[])[0]!.n;

  /**
   * Lists `ip` the legitimate way: six platform users' reports through a platform-trust intake key.
   * Returns the lookup once all six are processed AND the MTA's Redis copy shows Postgres's score:
   * the copy is written after each commit, so reading it as soon as it says "listed" (after the
   * fifth report) gave a `before` that the sixth report then moved — a flaky comparison.
   */
  const listThroughPlatform = async (ip: string) => {
    const platform = await intakeChannel(f.svc, f.ds, { trust: 'platform' });
    for (let i = 0; i < 6; i++) await platform.send(`user${i}@platform-users.example`, forgedReceived(ip, 100 + i));
    await waitAllProcessed(f.ds, 6);
    return waitUntil(async () => {
      const [row]: { score: number }[] = await f.ds.query(`SELECT score FROM reputation_subjects WHERE kind = 'ip' AND key = $1`, [ip]);
      const seen = await lookup(ip);
      return row && seen.listed && Math.abs(seen.score - row.score) < 0.01 ? seen : undefined;
    }, `${ip} to be listed, its score copied to Redis`);
  };

  describe('six made-up reporters paste a Received line naming a Google mail server (and six more a tenant\'s From)', () => {
    for (const [name, make] of Object.entries(channels)) {
      it(`${name}: stored, analysed, searchable and shown as unverified — and nothing is listed, scored or flagged`, async () => {
        const channel = await make();
        for (let i = 0; i < 6; i++) await channel.send(`victim${i}@made-up-${i}.example`, forgedReceived(GOOGLE, i));
        for (let i = 0; i < 6; i++) await channel.send(`other${i}@made-up-${i}.example`, forgedTenant(i));
        await waitAllProcessed(f.ds, 12);
        expect(await count(`SELECT count(*)::int AS n FROM reports WHERE tenant_id = 'contoso' AND reporter_trust = 'anonymous'`)).to.equal(6);
        const res = await fetch(`${f.svc.url}/v1/reports?ip=${GOOGLE}&trust=anonymous`, { headers: { authorization: await bearer(f.ds, 'analyst') } });
        const page = (await res.json()) as { items: { relayIp: string; reporterTrust: string }[] };
        expect(page.items.map((r) => [r.relayIp, r.reporterTrust])).to.deep.equal(Array(6).fill([GOOGLE, 'anonymous']));
        expect(await lookup(GOOGLE)).to.deep.include({ listed: false, score: 0 });
        expect(await zone()).not.to.include(GOOGLE);
        expect(await count(`SELECT count(*)::int AS n FROM reputation_events`)).to.equal(0);
        expect(await count(`SELECT count(*)::int AS n FROM reputation_subjects`)).to.equal(0);
        expect(await count(`SELECT count(*)::int AS n FROM reputation_reporters`)).to.equal(0);
        expect(await count(`SELECT count(*)::int AS n FROM tenant_flags`)).to.equal(0);
      });
    }

    it('control: the same reports through a platform key (six platform users) do list it and flag the tenant', async () => {
      const listed = await listThroughPlatform(GOOGLE);
      expect(listed!.score).to.be.greaterThan(5);
      expect(await zone()).to.include(GOOGLE);
      const platform = await intakeChannel(f.svc, f.ds, { trust: 'platform' });
      for (let i = 0; i < 6; i++) await platform.send(`user${i}@platform-users.example`, forgedTenant(i));
      await waitUntil(async () => ((await count(`SELECT count(*)::int AS n FROM tenant_flags WHERE tenant_id = 'contoso'`)) === 1 ? true : undefined), 'contoso to be flagged');
    });
  });

  describe('six forged not-spam ARFs from one address about a listed IP', () => {
    for (const [name, make] of Object.entries({ ...channels, 'HTTP intake with a platform key (trusted, but not a feed)': () => intakeChannel(f.svc, f.ds, { trust: 'platform' }) })) {
      it(`${name}: the score stays and the listing survives the expiry job`, async () => {
        const before = await listThroughPlatform(LISTED);
        const channel = await make();
        for (let i = 0; i < 6; i++) await channel.send('fbl@feedback.example.net', arfReport(LISTED, i, 'not-spam'));
        await waitAllProcessed(f.ds, 12);
        expect(await count(`SELECT count(*)::int AS n FROM reports WHERE feedback_type = 'not-spam'`)).to.equal(6);
        expect(await count(`SELECT count(*)::int AS n FROM reputation_events WHERE weight < 0`)).to.equal(0);
        const out = await expireListings(f.ds, reputationSettings(testConfig()), null);
        expect(out.expired).to.deep.equal([]);
        const after = await lookup(LISTED);
        expect(after.listed).to.equal(true);
        expect(after.score).to.be.closeTo(before!.score, 0.01);
      });
    }
  });

  describe('manual listings', () => {
    it('an analyst\'s listing of an IP without reports does not expire by itself; one with expiresAt does, then', async () => {
      const analyst = { authorization: await bearer(f.ds, 'analyst'), 'content-type': 'application/json' };
      const until = new Date(Date.now() + 3600_000).toISOString();
      for (const [ip, body] of [['198.51.100.10', { reason: 'known snowshoe range' }], ['198.51.100.11', { reason: 'for an hour', expiresAt: until }]] as const) {
        const res = await fetch(`${f.svc.url}/v1/listings/${ip}`, { method: 'POST', headers: analyst, body: JSON.stringify(body) });
        expect(res.status).to.equal(201);
      }
      const s = reputationSettings(testConfig());
      expect((await expireListings(f.ds, s, null, new Date())).expired).to.deep.equal([]);
      expect((await expireListings(f.ds, s, null, new Date(Date.now() + 30 * 86_400_000))).expired).to.deep.equal(['198.51.100.11']);
      expect((await expireListings(f.ds, s, null, new Date(Date.now() + 365 * 86_400_000))).expired).to.deep.equal([]);
      const l = (await (await fetch(`${f.svc.url}/v1/lookup/198.51.100.10`, { headers: { authorization: await bearer(f.ds, 'platform') } })).json()) as { listed: boolean; expiresAt: string | null };
      expect(l).to.deep.include({ listed: true, expiresAt: null });
      const bad = await fetch(`${f.svc.url}/v1/listings/198.51.100.12`, { method: 'POST', headers: analyst, body: JSON.stringify({ reason: 'past', expiresAt: '2001-01-01T00:00:00Z' }) });
      expect(bad.status).to.equal(400);
    });
  });
});
