import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Browser } from 'playwright-core';
import { startTestService, bearer, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitUntil } from '../helpers/db.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { installAfterCommit } from '../../shared/reputation/store/after-commit.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import type { ReputationContext } from '../../workers/reputation/apply-reputation.ts';
import { analyzed, report, settings } from './fixtures.ts';
import { Browserless, confirmLink, csrfOf, freePort, startCaptureServer, type CapturedMail } from './portal-helpers.ts';

const H = 3600_000;

describe('delist portal', () => {
  let svc: TestService;
  let ds: DataSource;
  let redis: Redis;
  let smtp: Awaited<ReturnType<typeof startCaptureServer>>;
  let ctx: ReputationContext;
  let n = 0;

  before(async () => {
    smtp = await startCaptureServer();
    const port = await freePort();
    svc = await startTestService({
      ROLES: 'api', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`,
      MAIL_RELAY_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Blocklist <noreply@reputation.example>',
      DELIST_RATE_PER_EMAIL: '3', DELIST_RATE_PER_IP: '1000',
    });
    ds = await testDataSource();
    installAfterCommit(ds, (err) => {
      throw err;
    });
    redis = new Redis(process.env.REDIS_URL!);
    ctx = { settings: settings({ listThreshold: 2.9, listMinReporters: 3 }), cache: new IpCache(redis, process.env.REDIS_PREFIX!) };
  });
  after(async () => {
    await svc.stop();
    await smtp.close();
    redis.disconnect();
    await ds.destroy();
  });
  beforeEach(async () => {
    await truncateAll(ds);
    await ctx.cache!.rebuild(ds);
  });

  /** Lists `ip` from three reporters, `ageHours` ago (an old listing whose score has decayed). */
  const listIp = async (ip: string, ageHours: number) => {
    const at = Date.now() - ageHours * H;
    for (const who of ['a@example.org', 'b@example.org', 'c@example.org']) await report(ds, { ...ctx, now: () => at }, who, [analyzed({ relayIp: ip })]);
  };
  const lookup = async (ip: string) =>
    (await (await fetch(`${svc.url}/v1/lookup/${ip}`, { headers: { authorization: await bearer(ds, 'platform') } })).json()) as { listed: boolean };
  const mailFor = (to: string) => waitUntil(async () => smtp.mails.find((m) => m.to.includes(to)), `a mail to ${to}`);
  const email = () => `postmaster${++n}@sender.example`;

  /** Form → mailed link → confirm page → Delist; returns the result page. */
  const runFlow = async (ip: string, to: string) => {
    const b = new Browserless();
    const form = await b.fetch(`${svc.url}/sender/delist?ip=${ip}`);
    expect(form.status).to.equal(200);
    const sent = await b.post(`${svc.url}/sender/delist`, { _csrf: csrfOf(form.body), ip, email: to });
    expect(sent.body).to.contain('Check your mail');
    const mail: CapturedMail = await mailFor(to);
    expect(mail.subject).to.equal(`Confirm the removal request for ${ip}`);
    const link = confirmLink(mail.text);
    const confirm = await b.fetch(link);
    expect(confirm.status).to.equal(200);
    expect(confirm.body).to.contain(`Remove ${ip} from the blocklist`).and.contain('distinct reporters');
    const token = new URL(link).searchParams.get('token')!;
    const result = await b.post(`${svc.url}/sender/delist/confirm`, { _csrf: csrfOf(confirm.body), token });
    return { b, link, token, confirm, result };
  };

  it('removes an IP whose score has decayed, after the mailed link is confirmed', async () => {
    const ip = '203.0.113.50';
    await listIp(ip, 96); // 3 reports four days ago: score 3/16, last report > 72 h
    expect((await lookup(ip)).listed).to.equal(true);
    const to = email();
    const { result, b, token, confirm } = await runFlow(ip, to);
    expect(result.status).to.equal(200);
    expect(result.body).to.contain('data-status="delisted"').and.contain('has been removed');
    expect((await lookup(ip)).listed).to.equal(false);
    const history: { action: string; actor: string }[] = await ds.query(`SELECT action, actor FROM listing_history WHERE ip = $1 ORDER BY id`, [ip]);
    expect(history.map((h) => h.action)).to.deep.equal(['listed', 'delisted']);
    expect(history[1]!.actor).to.equal(`delist-request:${to}`);
    const steps: { action: string }[] = await ds.query(`SELECT action FROM delist_audit WHERE ip = $1 ORDER BY id`, [ip]);
    expect(steps.map((s) => s.action)).to.deep.equal(['requested', 'mailed', 'opened', 'confirmed']);
    // Only the token's hash is stored, and the link works once.
    const [row] = await ds.query(`SELECT token_sha256 FROM delist_requests`);
    expect(row.token_sha256).to.not.contain(token);
    expect((await b.post(`${svc.url}/sender/delist/confirm`, { _csrf: csrfOf(confirm.body), token })).status).to.equal(404);
  });

  it('queues a request for an analyst while complaints are fresh, and the analyst approves it', async () => {
    const ip = '203.0.113.51';
    await listIp(ip, 0);
    const { result } = await runFlow(ip, email());
    expect(result.body).to.contain('data-status="queued"').and.contain('waiting for an analyst');
    expect((await lookup(ip)).listed).to.equal(true);

    const analyst = await bearer(ds, 'analyst');
    const queue = (await (await fetch(`${svc.url}/v1/delist-requests`, { headers: { authorization: analyst } })).json()) as {
      requests: { id: string; ip: string; reasons: string[] }[];
    };
    expect(queue.requests.map((r) => r.ip)).to.deep.equal([ip]);
    expect(queue.requests[0]!.reasons.join()).to.contain('not below 2');
    const decide = (body: unknown) =>
      fetch(`${svc.url}/v1/delist-requests/${queue.requests[0]!.id}/decision`, {
        method: 'POST', headers: { authorization: analyst, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
    expect((await decide({ decision: 'maybe', reason: 'x' })).status).to.equal(400);
    const ok = await decide({ decision: 'approve', reason: 'open relay closed, verified' });
    expect(ok.status).to.equal(200);
    expect(((await ok.json()) as { status: string }).status).to.equal('approved');
    expect((await lookup(ip)).listed).to.equal(false);
    expect((await decide({ decision: 'deny', reason: 'again' })).status).to.equal(409);
    const [h] = await ds.query(`SELECT reason FROM listing_history WHERE ip = $1 AND action = 'delisted'`, [ip]);
    expect(h.reason).to.contain('open relay closed, verified');
  });

  it('says so for an IP that is not listed, and mails nothing', async () => {
    const b = new Browserless();
    const form = await b.fetch(`${svc.url}/sender/delist`);
    const before = smtp.mails.length;
    const res = await b.post(`${svc.url}/sender/delist`, { _csrf: csrfOf(form.body), ip: '198.51.100.99', email: email() });
    expect(res.body).to.contain('is not on our blocklist');
    expect(smtp.mails.length).to.equal(before);
  });

  it('refuses a form without its CSRF token, a private address, and a second address', async () => {
    const b = new Browserless();
    const form = await b.fetch(`${svc.url}/sender/delist`);
    expect((await b.post(`${svc.url}/sender/delist`, { ip: '203.0.113.1', email: email() })).status).to.equal(403);
    expect((await b.post(`${svc.url}/sender/delist`, { _csrf: csrfOf(form.body), ip: '10.1.2.3', email: email() })).body).to.contain('private or reserved');
    expect((await b.post(`${svc.url}/sender/delist`, { _csrf: csrfOf(form.body), ip: '203.0.113.1 203.0.113.2', email: email() })).status).to.equal(400);
    expect((await b.post(`${svc.url}/sender/delist`, { _csrf: csrfOf(form.body), ip: '203.0.113.1', email: 'a@x.example, b@y.example' })).status).to.equal(400);
  });

  it('rate-limits requests per email address', async () => {
    const b = new Browserless();
    const form = await b.fetch(`${svc.url}/sender/delist`);
    const to = email();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await b.post(`${svc.url}/sender/delist`, { _csrf: csrfOf(form.body), ip: '198.51.100.98', email: to })).status);
    expect(statuses).to.deep.equal([200, 200, 200, 429]);
    const [a] = await ds.query(`SELECT email, detail FROM delist_audit WHERE action = 'rate_limited'`);
    expect(a).to.deep.equal({ email: to, detail: 'limit for this email address' });
  });

  it('escapes what the visitor typed', async () => {
    const b = new Browserless();
    const page = await b.fetch(`${svc.url}/sender/delist?ip=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(page.body).to.not.contain('<script>alert(1)');
    expect(page.body).to.contain('&quot;&gt;&lt;script&gt;');
  });

  describe('in a browser (headless Chromium)', () => {
    let browser: Browser;
    before(async function () {
      browser = await launchBrowser(this);
    });
    after(async () => {
      await browser?.close();
    });

    it('requests, confirms and delists through the pages', async () => {
      const ip = '203.0.113.60';
      await listIp(ip, 100);
      const to = email();
      const page = await browser.newPage();
      try {
        await page.goto(`${svc.url}/sender/delist?ip=${ip}`);
        expect(await page.inputValue('#ip')).to.equal(ip);
        await page.fill('#email', to);
        await Promise.all([page.waitForURL(`${svc.url}/sender/delist`), page.click('button[type=submit]')]);
        expect(await page.textContent('#result')).to.contain(`We sent a confirmation link for ${ip}`);
        const link = confirmLink((await mailFor(to)).text);
        await page.goto(link);
        expect(await page.textContent('h1')).to.equal(`Remove ${ip} from the blocklist`);
        await Promise.all([page.waitForURL(`${svc.url}/sender/delist/confirm`), page.click('#delist')]);
        expect(await page.getAttribute('#result', 'data-status')).to.equal('delisted');
        expect((await lookup(ip)).listed).to.equal(false);
      } finally {
        await page.close();
      }
    });
  });
});
