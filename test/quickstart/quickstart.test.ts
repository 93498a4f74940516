import { expect } from 'chai';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { freePort, spawnCli, waitForOutput } from '../helpers/spawn-cli.ts';
import { waitUntil } from '../helpers/db.ts';
import { dropDatabase } from '../../shared/db/ensure-database.ts';
import { PACKAGE_ROOT } from '../../shared/package-root.ts';
import { buildApp } from '../analyst/build-app.ts';
import { walkRoutes } from '../analyst/route-walk.ts';

const ARTIFACTS = join(PACKAGE_ROOT, 'test/artifacts/quickstart');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** Public pages (no sign-in): each must fit a phone. */
const PUBLIC = /^\/(report|delist|login|docs|sender|reporters|respond)(\/|$)/;
/** Public GET routes that are not pages: the old delist URLs (308 to /sender/delist…), data for scripts (CSV/JSON). */
const NOT_PAGES = ['/delist', '/delist/confirm', '/sender/data/csv', '/sender/data/feed/:token'];

/**
 * Issue 14, "done when": the README's quick start walked as a newcomer would — `start --demo` as
 * `npm start` runs it, the printed login, the attributed sample report, the web form and its status
 * page, a delist request confirmed from the development outbox — with a screenshot of every page at
 * desktop and 390 px width in test/artifacts/quickstart/, and every public page checked for
 * horizontal overflow at 390 px.
 */
describe('quick start, walked in a browser', function () {
  this.timeout(240_000);
  const db = new URL(process.env.DATABASE_URL!);
  db.pathname += '_quickstart';
  let child: ChildProcess;
  let browser: Browser;
  let page: Page;
  let summary = '';
  let base = '';
  let key = '';
  let login: { email: string; password: string };
  const visited: { path: string; fits: boolean }[] = [];
  const overflow: string[] = [];
  const csp: string[] = [];
  let shot = 0;

  before(async function () {
    browser = await launchBrowser(this);
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    const [port, smtpPort] = [await freePort(), await freePort()];
    // `npm start` is `abuse-intake start --demo`: run exactly that, on an empty database of its own.
    child = spawnCli(['start', '--demo'], {
      DATABASE_URL: db.toString(), REDIS_PREFIX: `${process.env.REDIS_PREFIX}-quickstart`, PORT: String(port), SMTP_PORT: String(smtpPort), HOST: '127.0.0.1',
    });
    child.stdout!.on('data', (d: Buffer) => (summary += d.toString()));
    await waitForOutput(child, /Stop with Ctrl\+C/, 90_000);
    base = /analyst UI\s+(http:\/\/\S+?)\/\s/.exec(summary)![1]!;
    key = /export KEY=(\S+)/.exec(summary)![1]!;
    const m = /UI login \(shown only now\): (\S+) \/ (\S+)/.exec(summary)!;
    login = { email: m[1]!, password: m[2]! };
    const context = await browser.newContext({ viewport: DESKTOP });
    page = await context.newPage();
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) csp.push(msg.text());
    });
  });
  after(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await dropDatabase(db.toString());
  });

  /** Screenshots at both widths; a public page must not scroll sideways at 390 px. */
  async function capture(name: string): Promise<void> {
    const n = String(++shot).padStart(2, '0');
    const path = new URL(page.url()).pathname;
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: join(ARTIFACTS, `${n}-${name}-desktop.png`), fullPage: true });
    await page.setViewportSize(PHONE);
    const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    const fits = width <= (await page.evaluate(() => window.innerWidth));
    await page.screenshot({ path: join(ARTIFACTS, `${n}-${name}-phone.png`), fullPage: true });
    await page.setViewportSize(DESKTOP);
    visited.push({ path, fits });
    if (PUBLIC.test(path) && !fits) overflow.push(`${name} (${path}): ${width} px wide at 390 px`);
  }

  it('prints what runs where, with the key and the login', () => {
    expect(summary).to.match(/report form\s+http:\/\/localhost:\d+\/report/);
    expect(summary).to.match(/outgoing mail\s+kept, not sent: http:\/\/localhost:\d+\/dev\/outbox/);
    expect(key).to.match(/^ak_/);
    expect(login.email).to.equal('admin@demo.localhost');
  });

  it('signs in with the printed login and finds the attributed sample report', async () => {
    await page.goto(`${base}/`);
    await capture('login');
    await page.fill('input[name=email]', login.email);
    await page.fill('input[name=password]', login.password);
    await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
    await capture('dashboard');
    // The samples go through the real intake and worker: wait for the attributed one to be listed.
    await waitUntil(async () => {
      await page.goto(`${base}/ui/reports?q=${encodeURIComponent('Cheap watches')}`);
      return (await page.locator('a', { hasText: 'Cheap watches' }).count()) > 0 ? true : undefined;
    }, 'the sample report to be processed', 60_000);
    await capture('reports-search');
    await Promise.all([page.waitForURL(/\/ui\/reports\/[0-9a-f-]{36}$/), page.locator('a', { hasText: 'Cheap watches' }).first().click()]);
    const attribution = await page.locator('section', { hasText: 'Attribution' }).first().innerText();
    expect(attribution).to.include('outbound').and.include('contoso');
    await capture('report-detail');
    await page.goto(`${base}/ui/tenants/contoso`);
    await capture('tenant');
    await page.goto(`${base}/ui/ips/203.0.113.7`);
    await capture('ip');
  });

  it('submits the web form and follows the report on its status page', async () => {
    await page.goto(`${base}/report`);
    await capture('report-form');
    await page.click('button[type=submit]'); // empty: every field explains itself
    await page.waitForSelector('#email-error');
    await capture('report-form-errors');
    await page.fill('input[name=email]', 'newcomer@example.org');
    await page.selectOption('select[name=category]', 'phishing');
    await page.fill('textarea[name=description]', 'arrived this morning');
    await page.setInputFiles('input[name=message]', join(PACKAGE_ROOT, 'examples/forged-foreign.eml'));
    await Promise.all([page.waitForSelector('#tracking-id'), page.click('button[type=submit]')]);
    await capture('report-received');
    await Promise.all([page.waitForURL(/\/report\/status\/[0-9a-f-]{36}$/), page.click('#status-link')]);
    await waitUntil(async () => {
      await page.reload();
      return (await page.getAttribute('#status', 'data-step')) === 'processed' ? true : undefined;
    }, 'the status page to say processed', 30_000);
    expect(await page.textContent('#outcome')).to.match(/not sent through our service|through our service/);
    await capture('report-status');
    await page.goto(`${base}/report/status/not-a-tracking-id`);
    await capture('report-status-bad-id');
  });

  /** Opens the newest mail of the development outbox and follows its link to `path` on this service. */
  async function followNewestMail(path: string): Promise<void> {
    await page.goto(`${base}/dev/outbox`);
    await Promise.all([page.waitForURL(/\/dev\/outbox\/[0-9a-f-]{36}$/), page.locator('#outbox a').first().click()]);
    await Promise.all([page.waitForURL(new RegExp(`${path.replace(/\//g, '\\/')}\\?token=`)), page.locator(`#mail-text a[href*="${path}?token="]`).click()]);
  }

  it('confirms the web report through the mailed link, and gets a personal reporting address (reporter trust)', async () => {
    await followNewestMail('/report/confirm');
    await capture('report-confirm');
    await Promise.all([page.waitForSelector('#result[data-status]'), page.click('#confirm')]);
    expect(await page.getAttribute('#result', 'data-status')).to.equal('confirmed');
    await capture('report-confirmed');

    await page.goto(`${base}/reporters`);
    await capture('reporters');
    await page.fill('form:has(#request-address) input[name=email]', 'newcomer@example.org');
    await Promise.all([page.waitForSelector('#result[data-status]'), page.click('#request-address')]);
    await capture('reporters-mailed');
    await followNewestMail('/reporters/confirm');
    await capture('reporters-confirm');
    await Promise.all([page.waitForSelector('#personal-address'), page.click('#confirm')]);
    expect(await page.textContent('#personal-address')).to.match(/^report\+[a-z2-7]{26}@reports\.localhost$/);
    await capture('reporters-address');
  });

  it('requests a delist and confirms it from the development outbox', async () => {
    const ip = '203.0.113.7';
    // The demo lists nothing yet: list the IP through a trusted channel (an analyst's key), as the README says.
    const lookup = (await (await fetch(`${base.replace('localhost', '127.0.0.1')}/v1/lookup/${ip}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { listed: boolean };
    if (!lookup.listed) {
      const listed = await fetch(`${base.replace('localhost', '127.0.0.1')}/v1/listings/${ip}`, {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'quick start listing' }),
      });
      expect(listed.status).to.be.oneOf([200, 201]);
    }
    await page.goto(`${base}/sender/delist?ip=${ip}`);
    await capture('delist-form');
    await page.fill('input[name=email]', 'owner@sender.example');
    await Promise.all([page.waitForSelector('#result'), page.click('button[type=submit]')]);
    expect(await page.textContent('#result')).to.include('owner@sender.example');
    await capture('delist-mailed');

    await page.goto(`${base}/dev/outbox`);
    await capture('outbox');
    await Promise.all([page.waitForURL(/\/dev\/outbox\/[0-9a-f-]{36}$/), page.locator('#outbox a').first().click()]);
    expect(await page.textContent('#mail-text')).to.include(ip);
    await capture('outbox-mail');
    await Promise.all([page.waitForURL(/\/sender\/delist\/confirm\?token=/), page.locator('#mail-text a[href*="/sender/delist/confirm?token="]').click()]);
    await capture('delist-confirm');
    await Promise.all([page.waitForSelector('#result[data-status]'), page.click('#delist')]);
    const status = await page.getAttribute('#result', 'data-status');
    expect(status).to.be.oneOf(['delisted', 'queued']);
    await capture('delist-result');
    await page.goto(`${base}/sender/delist/confirm?token=${'x'.repeat(43)}`);
    await capture('delist-link-invalid');
  });

  it('the other pages a newcomer meets: API docs, delist queue, a tenant\'s response link', async () => {
    await page.goto(`${base}/docs`);
    await capture('api-docs');
    await page.goto(`${base}/respond/${'x'.repeat(43)}`); // a link that is not (or no longer) valid
    await capture('tenant-response-invalid');
    await page.goto(`${base}/ui/delist`);
    await capture('delist-queue');
  });

  it('the sender portal: index, why was I rejected, IP status, policy, and the IP owners\' sign-in', async () => {
    for (const [name, path] of [
      ['sender-index', '/sender'], ['sender-why', '/sender/why'], ['sender-ip', '/sender/ip?ip=203.0.113.7'], ['sender-policy', '/sender/policy'],
      ['sender-data', '/sender/data'], ['sender-data-signin-invalid', `/sender/data/signin?token=${'x'.repeat(43)}`],
      // Links that are not (or no longer) valid: what a sender who opens an old mail sees.
      ['sender-data-verify-invalid', `/sender/data/verify?token=${'x'.repeat(43)}`], ['sender-fbl-confirm-invalid', `/sender/data/fbl/confirm?token=${'x'.repeat(43)}`],
    ] as const) {
      await page.goto(`${base}${path}`);
      await capture(name);
    }
  });

  it('signs in as the demo\'s IP owner through the outbox and sees 30 days of data for its range', async () => {
    await page.goto(`${base}/sender/data`); // signed out, the page is the sign-in form
    await page.fill('#signin input[name=email]', 'postmaster@prize-draw.example');
    await Promise.all([page.waitForLoadState('load'), page.click('#signin button[type=submit]')]);
    await capture('sender-data-mailed');
    await page.goto(`${base}/dev/outbox`);
    await Promise.all([page.waitForURL(/\/dev\/outbox\/[0-9a-f-]{36}$/), page.locator('#outbox tr', { hasText: 'Sign in to your IP data' }).first().locator('a').click()]);
    await Promise.all([page.waitForURL(/\/sender\/data\/signin\?token=/), page.locator('#mail-text a[href*="/sender/data/signin?token="]').click()]);
    await capture('sender-data-signin-link');
    await Promise.all([page.waitForURL(/\/sender\/data$/), page.click('#confirm button[type=submit]')]);
    expect(await page.textContent('#who')).to.include('postmaster@prize-draw.example');
    const table = (await page.textContent('#data-table'))!;
    expect(table).to.include('198.51.100.201').and.include('198.51.100.202');
    // Two addresses, a row per address and UTC day: the seeded month, and today's listing in red.
    expect(await page.locator('#data-table tbody tr').count()).to.be.at.least(2 * 30);
    expect(await page.locator('#owner-chart canvas').count()).to.be.greaterThan(0);
    await capture('sender-data-dashboard');
  });

  it('every public page fits a 390 px phone', () => {
    expect(overflow).to.deep.equal([]);
  });

  it('visited every public page the app mounts, and every page the README\'s quick start names', async () => {
    const built = await buildApp({ demo: true });
    const publicPages = walkRoutes(built.app).filter((r) => r.method === 'GET' && PUBLIC.test(r.path) && !NOT_PAGES.includes(r.path));
    await built.close();
    const matches = (pattern: string, path: string) => new RegExp(`^${pattern.replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(path);
    const unvisited = publicPages.filter((r) => !visited.some((v) => matches(r.path, v.path)));
    expect(unvisited.map((r) => r.path), 'public pages the walk did not check at 390 px').to.deep.equal([]);

    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('### Run the tests'));
    const named = [...quickStart.matchAll(/http:\/\/localhost:3000(\/[^\s>)`]*)/g)].map((m) => m[1]!.split('?')[0]!).filter((p) => !p.endsWith('.json'));
    expect(named.length).to.be.greaterThan(3);
    expect(named.filter((p) => !visited.some((v) => v.path === p))).to.deep.equal([]);
  });

  it('raised no CSP violation on any page', () => {
    expect(csp).to.deep.equal([]);
  });
});
