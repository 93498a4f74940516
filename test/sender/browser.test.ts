import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { launchBrowser } from '../helpers/browser.ts';
import { probeInlineScript } from '../helpers/csp.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { installAfterCommit } from '../../shared/reputation/store/after-commit.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { analyzed, report, settings } from '../reputation/fixtures.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const LISTED = '203.0.113.77';
const OUR_LINE = `550 5.7.606 Access denied, banned sending IP [${LISTED}]. To request removal, visit http://localhost/sender/delist?ip=${LISTED}`;

/**
 * Every page of the sender portal this area owns, in a real browser, at desktop and phone width, in
 * English and Italian: it fits the window (no sideways scrolling), the CSP blocks inline script and
 * the page itself triggers no violation, and the why-form works with JavaScript off.
 */
describe('sender portal in a browser', function () {
  this.timeout(120_000);
  let browser: Browser;
  let svc: TestService;
  let ds: DataSource;
  let redis: Redis;

  before(async function () {
    browser = await launchBrowser(this);
    svc = await startTestService({ ROLES: 'api', SENDER_RATE_PER_IP: '1000' });
    ds = await testDataSource();
    installAfterCommit(ds, (err) => {
      throw err;
    });
    redis = new Redis(process.env.REDIS_URL!);
    const ctx = { settings: settings({ listThreshold: 2.9, listMinReporters: 3 }), cache: new IpCache(redis, process.env.REDIS_PREFIX!) };
    await truncateAll(ds);
    await ctx.cache.rebuild(ds);
    for (const who of ['a@reporters.example', 'b@reporters.example', 'c@reporters.example']) await report(ds, ctx, who, [analyzed({ relayIp: LISTED })]);
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
    redis?.disconnect();
    await ds?.destroy();
  });

  const pages = [
    ['index', '/sender', 'h1'],
    ['why', '/sender/why', '#bounce-text'],
    ['ip-form', '/sender/ip', '#ip'],
    ['ip-listed', `/sender/ip?ip=${LISTED}`, '#delist-link'],
    ['ip-not-listed', '/sender/ip?ip=198.51.100.5', '#listing'],
    ['ip-invalid', '/sender/ip?ip=nope', '#ip-error'],
    ['policy', '/sender/policy', '#policy h1'],
    ['delist', `/sender/delist?ip=${LISTED}`, '#email'],
  ] as const;

  async function check(page: Page, path: string, selector: string, violations: string[]): Promise<void> {
    const res = await page.goto(`${svc.url}${path}`);
    expect(res!.status(), path).to.be.oneOf([200, 400]);
    expect(await page.locator(selector).count(), `${path} ${selector}`).to.be.greaterThan(0);
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));
    expect(scroll, `${path} is wider than the ${inner} px window`).to.be.at.most(inner);
    expect(violations, `${path}: the page itself violates the CSP`).to.deep.equal([]);
    const probe = await probeInlineScript(page);
    expect(probe.scripting, 'JavaScript is on for the probe').to.equal(true);
    expect(probe.ran, `${path}: an inline script ran`).to.equal(false);
    expect(probe.violated, path).to.match(/^script-src/);
    violations.length = 0; // the probe's own, expected, violation
  }

  for (const lang of ['en', 'it'] as const) {
    for (const [viewport, label] of [[DESKTOP, 'desktop'], [PHONE, 'phone']] as const) {
      it(`every page in ${lang} at ${label} width (${viewport.width} px): fits, speaks ${lang}, no CSP violation`, async () => {
        const context = await browser.newContext({ viewport, locale: lang === 'it' ? 'it-IT' : 'en-US' });
        const page = await context.newPage();
        const violations: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
        });
        for (const [, path, selector] of pages) {
          await check(page, path, selector, violations);
          expect(await page.getAttribute('html', 'lang'), path).to.equal(lang);
        }
        await context.close();
      });
    }
  }

  it('explains a pasted bounce with JavaScript off, at phone width, and the language switch is remembered', async () => {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${svc.url}/sender/why`);
    await Promise.all([page.waitForURL(/\/sender\/why$/), page.click('a[hreflang="it"]')]);
    expect(await page.getAttribute('html', 'lang')).to.equal('it');
    await page.fill('#bounce-text', `Diagnostic-Code: smtp; ${OUR_LINE}`);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).to.equal('Che cosa dice il messaggio');
    expect(await page.textContent('[data-code="5.7.606"] h2')).to.contain("L'indirizzo IP di invio è nella nostra blocklist");
    expect(await page.getAttribute('#delist-link', 'href')).to.equal(`/sender/delist?ip=${LISTED}`);
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));
    expect(scroll).to.be.at.most(inner);
    await Promise.all([page.waitForURL(/\/sender\/policy$/), page.click('[data-code="5.7.606"] a.policy-link')]);
    expect(await page.textContent('#policy h1')).to.equal('Policy di invio');
    await context.close();
  });
});
