import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitUntil } from '../helpers/db.ts';
import { startCaptureServer, type CaptureServer } from '../helpers/smtp-capture.ts';
import { linkToken, spamFrom } from './helpers.ts';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: '390 px', width: 390, height: 844 },
];

describe('confirmation and /reporters pages in headless Chromium (no JavaScript), desktop and 390 px', function () {
  this.timeout(90_000);
  let svc: TestService;
  let ds: DataSource;
  let capture: CaptureServer;
  let browser: Browser;
  const cspViolations: string[] = [];

  before(async function () {
    browser = await launchBrowser(this);
    capture = await startCaptureServer();
    svc = await startTestService({
      ROLES: 'api,worker', MAIL_RELAY_URL: capture.url, PUBLIC_URL: 'https://abuse.example', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-trust-browser`,
      WEBFORM_LIMIT_PER_IP: '1000',
    });
    ds = await testDataSource();
    await truncateAll(ds);
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
    await ds?.destroy();
    await capture?.close();
  });

  const newPage = async (viewport: { width: number; height: number }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return page;
  };
  /** Nothing wider than the window: no sideways scrolling on a phone. */
  const fits = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).to.equal(true);
  /** The link mailed last, opened on our server (PUBLIC_URL is the public name). */
  const mailedLink = async (n: number, path: string) => `${svc.url}${path}?token=${linkToken((await capture.waitFor(n))[n - 1]!.text, path)}`;

  for (const [i, vp] of VIEWPORTS.entries()) {
    it(`${vp.name}: report → mailed link → confirm; the report becomes verified`, async () => {
      const page = await newPage(vp);
      await page.goto(`${svc.url}/report`);
      await page.fill('input[name=email]', `browser${i}@example.org`);
      await page.selectOption('select[name=category]', 'spam');
      await page.fill('textarea[name=source]', spamFrom('198.51.100.95', `b${i}`).toString('utf8'));
      const mailed = capture.mails.length;
      await Promise.all([page.waitForURL(`${svc.url}/report`), page.click('button[type=submit]')]);
      expect(await page.getAttribute('#confirmation', 'data-mailed')).to.equal('true');
      expect(await page.textContent('#confirmation')).to.include(`browser${i}@example.org`);
      const id = (await page.textContent('#tracking-id'))!.trim();
      await fits(page);

      const res = await page.goto(await mailedLink(mailed + 1, '/report/confirm'));
      expect(res?.status()).to.equal(200);
      expect(res?.headers()['content-security-policy']).to.match(/script-src 'self'(?![^;]*unsafe-inline)/);
      expect(await page.textContent('main')).to.include(id);
      await fits(page);
      await Promise.all([page.waitForURL(`${svc.url}/report/confirm`), page.click('#confirm')]);
      expect(await page.getAttribute('#result', 'data-status')).to.equal('confirmed');
      await fits(page);
      await waitUntil(async () => {
        const [s] = await ds.query(`SELECT reporter_trust FROM submissions WHERE id = $1`, [id]);
        return s?.reporter_trust === 'verified' ? true : undefined;
      }, 'the submission to be verified');
      await page.context().close();
    });

    it(`${vp.name}: /reporters → mailed link → the personal address, shown once`, async () => {
      const page = await newPage(vp);
      await page.goto(`${svc.url}/reporters`);
      await fits(page);
      await page.fill('form:has(#request-address) input[name=email]', `phone${i}@example.org`);
      const mailed = capture.mails.length;
      await Promise.all([page.waitForURL(`${svc.url}/reporters`), page.click('#request-address')]);
      expect(await page.getAttribute('#result', 'data-status')).to.equal('mailed');
      const link = await mailedLink(mailed + 1, '/reporters/confirm');
      await page.goto(link);
      await fits(page);
      await Promise.all([page.waitForURL(`${svc.url}/reporters/confirm`), page.click('#confirm')]);
      expect(await page.textContent('#personal-address')).to.match(/^report\+[a-z2-7]{26}@reports\.localhost$/);
      await fits(page);
      // Back to the link: used, and the address is not shown again.
      await page.goto(link);
      expect(await page.getAttribute('#result', 'data-status')).to.equal('used');
      expect(await page.$('#personal-address')).to.equal(null);
      await page.context().close();
    });
  }

  it('raised no Content-Security-Policy violation', () => {
    expect(cspViolations).to.deep.equal([]);
  });
});
