import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { installAfterCommit } from '../../shared/reputation/store/after-commit.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import type { ReputationContext } from '../../workers/reputation/apply-reputation.ts';
import { analyzed, report, settings } from '../reputation/fixtures.ts';
import { Browserless, csrfOf } from '../reputation/portal-helpers.ts';

const LISTED = '203.0.113.66';
/** Distinctive details of the reports that list LISTED: none may ever reach a portal page. */
const REPORTERS = ['zz-secret-reporter-1@reporters.example', 'zz-secret-reporter-2@reporters.example', 'zz-secret-reporter-3@reporters.example'];
const SUBJECT = 'ZZ-UNIQUE-SUBJECT-Cheap-Watches-4471';
const SPAM_FROM = 'zz-spam-sender@bulk-zz.example';
const TENANT = 'zz-tenant-contoso';

describe('sender portal over HTTP', function () {
  this.timeout(60_000);
  let svc: TestService;
  let ds: DataSource;
  let redis: Redis;
  let ctx: ReputationContext;
  const dir = mkdtempSync(join(tmpdir(), 'sender-policy-'));
  const policyFile = join(dir, 'policy.md');
  writeFileSync(policyFile, '# Our policy\n\n<script>alert("x")</script>\n\n[bad](javascript:alert(1)) and [good](https://example.org/help)\n\n![tracker](https://tracker.example/p.gif)\n');
  writeFileSync(join(dir, 'policy.it.md'), '# La nostra policy\n\nIn italiano.\n');

  before(async () => {
    svc = await startTestService({ ROLES: 'api', PUBLIC_URL: 'https://abuse.example.net', SENDER_POLICY_FILE: policyFile, SENDER_RATE_PER_IP: '1000' });
    ds = await testDataSource();
    installAfterCommit(ds, (err) => {
      throw err;
    });
    redis = new Redis(process.env.REDIS_URL!);
    ctx = { settings: settings({ listThreshold: 2.9, listMinReporters: 3 }), cache: new IpCache(redis, process.env.REDIS_PREFIX!) };
    await truncateAll(ds);
    await ctx.cache!.rebuild(ds);
    for (const who of REPORTERS) {
      await report(ds, ctx, who, [analyzed({ relayIp: LISTED, originatingIp: LISTED, subject: SUBJECT, from: SPAM_FROM, fromDomain: 'bulk-zz.example', sendingDomain: 'bulk-zz.example', recipientTenant: TENANT })]);
    }
  });
  after(async () => {
    await svc?.stop();
    redis?.disconnect();
    await ds?.destroy();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${svc.url}${path}`, { headers, redirect: 'manual' });
  const noLeak = (body: string) => {
    for (const secret of [...REPORTERS, 'zz-secret-reporter', SUBJECT, SPAM_FROM, TENANT, 'bulk-zz.example']) expect(body, secret).to.not.contain(secret);
  };

  describe('GET /sender', () => {
    it('links every part of the portal, in the visitor\'s language', async () => {
      const en = await (await get('/sender')).text();
      for (const href of ['/sender/why', '/sender/ip', '/sender/delist', '/sender/data', '/sender/policy']) expect(en).to.contain(`href="${href}"`);
      expect(en).to.contain('<html lang="en">').and.contain('Why was my mail rejected?');
      const it = await (await get('/sender', { 'accept-language': 'it-IT,it;q=0.9' })).text();
      expect(it).to.contain('<html lang="it">').and.contain('Perché la mia posta è stata rifiutata?');
    });
  });

  describe('GET /sender/ip', () => {
    it('shows a listing: since when, the public reason, when it ends, the delist action — and nothing about the reports', async () => {
      const res = await get(`/sender/ip?ip=${LISTED}`);
      expect(res.status).to.equal(200);
      const body = await res.text();
      expect(body).to.contain('data-listed="true"').and.contain(`${LISTED} is on our blocklist`);
      expect(body).to.contain('3 distinct reporters complained');
      expect(body).to.match(/id="listing-expires">[^<]*\d{4}[^<]*UTC, if no new complaints arrive/);
      expect(body).to.contain(`href="/sender/delist?ip=${LISTED}"`);
      noLeak(body);
    });
    it('in Italian too', async () => {
      const body = await (await get(`/sender/ip?ip=${LISTED}`, { cookie: 'lang=it' })).text();
      expect(body).to.contain(`${LISTED} è nella nostra blocklist`).and.contain('3 segnalatori diversi');
      noLeak(body);
    });
    it('says when an IP is not listed, or cannot be', async () => {
      expect(await (await get('/sender/ip?ip=198.51.100.1')).text()).to.contain('data-listed="false"').and.contain('198.51.100.1 is not on our blocklist');
      expect(await (await get('/sender/ip?ip=10.0.0.1')).text()).to.contain('private or reserved');
    });
    it('answers 400 with a clear message for what is not one IP address, escaped', async () => {
      for (const bad of ['203.0.113.0/24', 'not-an-ip', '"><script>x</script>', '1.2.3.4, 5.6.7.8']) {
        const res = await get(`/sender/ip?ip=${encodeURIComponent(bad)}`);
        expect(res.status, bad).to.equal(400);
        const body = await res.text();
        expect(body).to.contain('id="ip-error"').and.contain('is not an IP address');
        expect(body).to.not.contain('<script>x');
      }
    });
  });

  describe('POST /sender/why', () => {
    const explain = async (fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }, headers: Record<string, string> = {}) => {
      const b = new Browserless();
      const page = await b.fetch(`${svc.url}/sender/why`, { headers });
      const form = new FormData();
      form.set('_csrf', csrfOf(page.body));
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      if (file) form.set('bounce', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
      return b.fetch(`${svc.url}/sender/why`, { method: 'POST', body: form, headers });
    };

    it('explains our own 5.7.606 line with the listing of the IP it names and the delist link', async () => {
      const lookup = await (await get(`/sender/ip?ip=${LISTED}`)).text();
      expect(lookup).to.contain('is on our blocklist');
      const line = `Remote Server returned '550 5.7.606 Access denied, banned sending IP [${LISTED}]. To request removal, visit https://abuse.example.net/sender/delist?ip=${LISTED}'`;
      const res = await explain({ text: line });
      expect(res.status).to.equal(200);
      expect(res.body).to.contain('data-code="5.7.606"').and.contain('The sending IP address is on our blocklist');
      expect(res.body).to.contain('3 distinct reporters complained').and.contain(`href="/sender/delist?ip=${LISTED}"`);
      expect(res.body).to.contain('href="/sender/policy"');
      noLeak(res.body);
    });

    it('explains an uploaded bounce from the corpus (multipart), in Italian when asked', async () => {
      const res = await explain({}, { name: 'bounce.eml', type: 'message/rfc822', bytes: corpusFile('dsn/sisimai/lhost-outlook-01.eml') }, { 'accept-language': 'it' });
      expect(res.status).to.equal(200);
      expect(res.body).to.contain('data-code="5.2.2"').and.contain('La casella del destinatario è piena').and.contain('href="/sender/policy"');
    });

    it('says so when there is no code, and refuses an empty form, a wrong file type and an oversized paste', async () => {
      const none = await explain({ text: 'hello there' });
      expect(none.status).to.equal(200);
      expect(none.body).to.contain('We found no SMTP status code').and.contain('href="/sender/policy"');
      expect((await explain({ text: '   ' })).status).to.equal(400);
      expect((await explain({}, { name: 'x.png', type: 'image/png', bytes: Buffer.from('PNG') })).status).to.equal(415);
      const big = await explain({ text: `550 5.1.1 ${'x'.repeat(2 * 1024 * 1024 + 10)}` });
      expect(big.status).to.equal(413);
      expect(big.body).to.contain('larger than 2 MB');
    });

    it('refuses a post without the form\'s token (403)', async () => {
      const form = new FormData();
      form.set('text', '550 5.1.1 User unknown');
      const res = await fetch(`${svc.url}/sender/why`, { method: 'POST', body: form });
      expect(res.status).to.equal(403);
    });

    it('writes what was pasted back escaped', async () => {
      const res = await explain({ text: '550 5.1.1 <script>alert(1)</script> unknown' });
      expect(res.body).to.not.contain('<script>alert(1)');
      expect(res.body).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });
  });

  describe('GET /sender/policy', () => {
    it('renders the Markdown with raw HTML shown as text, unsafe links dropped, no images', async () => {
      const body = await (await get('/sender/policy')).text();
      expect(body).to.contain('<h1>Our policy</h1>');
      expect(body).to.contain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(body).to.not.contain('<script>alert');
      expect(body).to.not.contain('href="javascript:');
      expect(body).to.contain('<a href="https://example.org/help" rel="nofollow noopener noreferrer">good</a>');
      expect(body).to.not.contain('<img');
    });
    it('serves the .it.md sibling to Italian visitors', async () => {
      const body = await (await get('/sender/policy', { cookie: 'lang=it' })).text();
      expect(body).to.contain('<h1>La nostra policy</h1>').and.contain('lang="it"');
    });
  });

  describe('the old delist URLs', () => {
    it('redirect permanently to /sender/delist, keeping the query and the method', async () => {
      let res = await get(`/delist?ip=${LISTED}`);
      expect(res.status).to.equal(308);
      expect(res.headers.get('location')).to.equal(`/sender/delist?ip=${LISTED}`);
      res = await get('/delist/confirm?token=abc');
      expect(res.status).to.equal(308);
      expect(res.headers.get('location')).to.equal('/sender/delist/confirm?token=abc');
      res = await fetch(`${svc.url}/delist`, { method: 'POST', body: new URLSearchParams({ ip: LISTED }), redirect: 'manual' });
      expect(res.status).to.equal(308);
      expect(res.headers.get('location')).to.equal('/sender/delist');
    });
    it('the delist form itself is translated', async () => {
      const body = await (await get(`/sender/delist?ip=${LISTED}`, { 'accept-language': 'it' })).text();
      expect(body).to.contain('Chiedi la rimozione dalla blocklist').and.contain('action="/sender/delist"');
    });
  });
});

describe('sender portal rate limit', function () {
  this.timeout(30_000);
  let svc: TestService;
  let redis: Redis;
  before(async () => {
    redis = new Redis(process.env.REDIS_URL!);
    const keys = await redis.keys(`${process.env.REDIS_PREFIX}:rl:sender:*`);
    if (keys.length) await redis.del(...keys);
    svc = await startTestService({ ROLES: 'api', SENDER_RATE_PER_IP: '3' });
  });
  after(async () => {
    await svc?.stop();
    const keys = await redis.keys(`${process.env.REDIS_PREFIX}:rl:sender:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('answers 429 with Retry-After past SENDER_RATE_PER_IP look-ups per client IP, in the visitor\'s language', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${svc.url}/sender/ip?ip=198.51.100.${i + 1}`)).status);
    expect(statuses).to.deep.equal([200, 200, 200, 429]);
    const res = await fetch(`${svc.url}/sender/ip?ip=198.51.100.9`, { headers: { 'accept-language': 'it' } });
    expect(res.status).to.equal(429);
    expect(res.headers.get('retry-after')).to.equal('600');
    expect(await res.text()).to.contain('Troppe ricerche');
    // The form itself and the static pages stay available.
    expect((await fetch(`${svc.url}/sender/ip`)).status).to.equal(200);
    expect((await fetch(`${svc.url}/sender/policy`)).status).to.equal(200);
  });
});
