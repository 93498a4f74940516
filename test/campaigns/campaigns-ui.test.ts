import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { bearer, startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitForSubmission } from '../helpers/db.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { createUser } from '../../shared/users/users.ts';
import { campaignSpam } from './campaign-mail.ts';

const PASSWORD = 'correct horse battery staple 17';

/** A spam whose subject is markup: the campaign pages must show it as text. */
function hostileSpam(copy: number): Buffer {
  return Buffer.from(campaignSpam(21, copy).toString('utf8').replace(/^Subject: .*$/m, `Subject: <img src=x onerror=alert(${copy})> win ${copy}`));
}

/**
 * The campaign pages in headless Chromium against the real service: list, campaign page (chart drawn
 * by the static script, subject escaped), triage through the CSRF-protected form, dashboard cards,
 * the report page's link, and a 390 px wide phone screen.
 */
describe('campaigns UI (browser)', function () {
  this.timeout(90_000);
  let svc: TestService;
  let ds: DataSource;
  let browser: Browser;
  let page: Page;
  let campaign: string;
  const dialogs: string[] = [];

  before(async function () {
    browser = await launchBrowser(this);
    svc = await startTestService({ ROLES: 'api,worker' });
    ds = await testDataSource();
    await truncateAll(ds);
    const intake = await bearer(ds, 'intake');
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${svc.url}/v1/intake/email`, { method: 'POST', body: new Uint8Array(hostileSpam(i)), headers: { 'content-type': 'message/rfc822', authorization: intake } });
      const { id } = (await res.json()) as { id: string };
      expect((await waitForSubmission(ds, id)).status).to.equal('processed');
    }
    campaign = (await ds.query(`SELECT campaign_id::text AS c FROM reports LIMIT 1`))[0].c;
    await createUser(ds, 'analyst@example.test', 'analyst', PASSWORD);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${svc.url}/login`);
    await page.fill('input[name=email]', 'analyst@example.test');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${svc.url}/`), page.click('button[type=submit]')]);
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
    await ds?.destroy();
  });

  it('lists the campaign and shows its page with the subject as text and the chart drawn', async () => {
    await page.goto(`${svc.url}/ui/campaigns`);
    await page.click(`a[href="/ui/campaigns/${campaign}"]`);
    await page.waitForSelector('.chart canvas');
    const title = await page.textContent('h1');
    expect(title).to.contain('<img src=x onerror=alert(0)> win 0');
    expect(await page.$('h1 img')).to.equal(null);
    expect(await page.textContent('.kpis')).to.contain('3');
    expect(await page.textContent('body')).to.contain('promo21-deals.com');
    expect(dialogs).to.deep.equal([]);
  });

  it('moves the campaign to investigating through the triage form, with a note shown as text', async () => {
    await page.goto(`${svc.url}/ui/campaigns/${campaign}`);
    await page.selectOption('select[name=status]', 'investigating');
    await page.fill('input[name=assignee]', 'ana');
    await page.fill('textarea[name=note]', '<script>alert(1)</script> checking');
    await Promise.all([page.waitForURL(new RegExp(`/ui/campaigns/${campaign}`)), page.click('#triage button[type=submit]')]);
    expect(await page.textContent('#triage .badge')).to.equal('investigating');
    expect(await page.textContent('ul.notes')).to.contain('<script>alert(1)</script> checking');
    const [row] = await ds.query(`SELECT status, assignee FROM triage_cases WHERE subject_kind = 'campaign' AND subject_key = $1`, [campaign]);
    expect(row).to.deep.equal({ status: 'investigating', assignee: 'ana' });
    expect(dialogs).to.deep.equal([]);
  });

  it('shows the campaign on the dashboard and links it from the report page', async () => {
    await page.goto(`${svc.url}/`);
    expect(await page.$$(`a[href="/ui/campaigns/${campaign}"]`)).to.have.length(2); // top 24 h and new in the last hour
    const [report] = await ds.query(`SELECT id FROM reports LIMIT 1`);
    await page.goto(`${svc.url}/ui/reports/${report.id}`);
    await page.click(`a[href="/ui/campaigns/${campaign}"]`);
    await page.waitForURL(`${svc.url}/ui/campaigns/${campaign}`);
  });

  it('fits a 390 px phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/ui/campaigns', `/ui/campaigns/${campaign}`]) {
      await page.goto(`${svc.url}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).to.be.at.most(0);
    }
  });
});
