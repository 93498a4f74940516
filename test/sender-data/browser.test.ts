import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { probeInlineScript } from '../helpers/csp.ts';
import { local, useOwnerService } from './owner-fixture.ts';
import { linkIn } from './form-client.ts';
import { seedOwnerRange, seedReport, seedVolume } from './seed-history.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const OWNER = 'postmaster@sender-co.example';
const IP = '198.51.100.7';
const DAY = 86_400_000;
const today = () => Math.floor(Date.now() / DAY) * DAY;
const dayStr = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The IP-owner pages (/sender/data) in a real browser, at desktop and phone width, in English and
 * Italian: sign in through the mailed link, then the dashboard with a verified range and a history
 * shows the table and the uPlot chart (its script runs), the page speaks the language, fits the
 * window, triggers no CSP violation, and the CSP blocks an injected inline script.
 */
describe('sender data pages in a browser', function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async function () {
    browser = await launchBrowser(this);
  });
  after(async () => {
    await browser?.close();
  });
  const f = useOwnerService();

  async function seedHistory(): Promise<number[]> {
    await seedOwnerRange(f.ds, OWNER, '198.51.100.0/24');
    const days = [today() - 3 * DAY, today() - 2 * DAY, today() - DAY];
    for (const [i, d] of days.entries()) {
      for (let h = 0; h < 24; h += 6) await seedVolume(f.ds, IP, new Date(d + h * 3600_000), 1000 * (i + 1));
      for (let n = 0; n <= i * 3; n++) await seedReport(f.ds, { ip: IP, at: new Date(d + 3600_000 + n * 1000), trust: 'verified' });
    }
    await seedReport(f.ds, { ip: IP, at: new Date(days[1]! + 7200_000), channel: 'trap', helo: 'mta7.sender-co.example', envelopeFrom: 'bounces@sender-co.example' });
    return days;
  }

  /** Language, fit, no CSP violation by the page itself, and the CSP blocks inline script. */
  async function check(page: Page, what: string, lang: string, violations: string[]): Promise<void> {
    expect(await page.getAttribute('html', 'lang'), what).to.equal(lang);
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    expect(scroll, `${what} is wider than the ${inner} px window`).to.be.at.most(inner);
    expect(violations, `${what}: the page itself violates the CSP`).to.deep.equal([]);
    const probe = await probeInlineScript(page);
    expect(probe.scripting, 'JavaScript is on for the probe').to.equal(true);
    expect(probe.ran, `${what}: an inline script ran`).to.equal(false);
    expect(probe.violated, what).to.match(/^script-src/);
    violations.length = 0; // the probe's own, expected, violation
  }

  for (const lang of ['en', 'it'] as const) {
    for (const [viewport, label] of [[DESKTOP, 'desktop'], [PHONE, 'phone']] as const) {
      // Italian at phone width is chosen with the language switch (the browser asks for English); the others by Accept-Language.
      const bySwitch = lang === 'it' && label === 'phone';
      it(`signs in by the mailed link and shows table and chart, in ${lang} at ${label} width (${viewport.width} px)${bySwitch ? ' via the language switch' : ''}`, async () => {
        const days = await seedHistory();
        const context = await browser.newContext({ viewport, locale: lang === 'it' && !bySwitch ? 'it-IT' : 'en-US' });
        const page = await context.newPage();
        const violations: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
        });
        const pageErrors: string[] = [];
        page.on('pageerror', (e) => pageErrors.push(e.message));

        expect((await page.goto(`${f.svc.url}/sender/data`))!.status()).to.equal(200);
        if (bySwitch) {
          expect(await page.getAttribute('html', 'lang')).to.equal('en');
          await Promise.all([page.waitForURL(/\/sender\/data$/), page.click('a[hreflang="it"]')]);
        }
        expect(await page.locator('form#signin input[name=email]').count()).to.equal(1);
        await check(page, 'sign-in page', lang, violations);

        await page.fill('form#signin input[name=email]', OWNER);
        await Promise.all([page.waitForURL(/\/sender\/data\/signin$/), page.click('form#signin button[type=submit]')]);
        expect(await page.getAttribute('#result', 'data-status')).to.equal('mailed');
        await check(page, 'mailed page', lang, violations);
        const [mail] = await f.smtp.waitFor(1);
        expect(mail!.to).to.include(OWNER);

        await page.goto(`${f.svc.url}${local(linkIn(mail!.text, '/sender/data/signin'))}`);
        expect(await page.locator('form#confirm button[type=submit]').count()).to.equal(1);
        await check(page, 'sign-in link page', lang, violations);
        await Promise.all([page.waitForURL(/\/sender\/data$/), page.click('form#confirm button[type=submit]')]);

        expect(await page.textContent('#who')).to.contain(OWNER);
        for (const d of days) expect(await page.locator(`#data-table [data-ip="${IP}"][data-day="${dayStr(d)}"]`).count(), dayStr(d)).to.equal(1);
        // uPlot drew into the chart box: its script ran under the CSP.
        await page.waitForSelector('#owner-chart .uplot canvas', { timeout: 10_000 });
        const chart = await page.evaluate(() => {
          const c = document.querySelector<HTMLCanvasElement>('#owner-chart canvas')!;
          const box = document.getElementById('owner-chart')!.getBoundingClientRect();
          return { width: c.getBoundingClientRect().width, right: c.getBoundingClientRect().right, boxRight: box.right };
        });
        expect(chart.width).to.be.greaterThan(200);
        expect(chart.right).to.be.at.most(chart.boxRight + 1);
        expect(pageErrors).to.deep.equal([]);
        await check(page, 'dashboard', lang, violations);
        await context.close();
      });
    }
  }
});
