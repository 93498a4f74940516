import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { createUser } from '../../shared/users/users.ts';
import type { DataSource } from 'typeorm';
import { hoursAgo, seedReport } from './seed-reports.ts';
import { buildApp } from './build-app.ts';
import { walkRoutes } from './route-walk.ts';

const here = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(here, '../artifacts/analyst');
const PASSWORD = 'correct horse battery';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/**
 * Issue 14, item 13: every analyst page fits a 390 px phone (the page never scrolls sideways; wide
 * tables scroll inside their box; the menu collapses into a <details> button) and still works on a
 * desktop, with a screenshot of each at both widths in test/artifacts/analyst/. The actions are
 * done in a browser without JavaScript: the two-step confirmation needs none.
 */
describe('analyst pages at phone and desktop width', function () {
  this.timeout(180_000);
  let svc: TestService;
  let ds: DataSource;
  let browser: Browser;
  let reportId: string;
  let lonelySubmission: string;
  let campaignId: string;
  const cspErrors: string[] = [];
  const visited = new Set<string>();

  before(async function () {
    browser = await launchBrowser(this);
    svc = await startTestService({ ROLES: 'api' });
    ds = await testDataSource();
    await truncateAll(ds);
    await createUser(ds, 'admin@example.test', 'admin', PASSWORD);
    ({ reportId, lonelySubmission } = await seed(ds));
    // A campaign holding the sample report (docs/campaigns.md), for the campaign pages.
    [{ id: campaignId }] = await ds.query(`INSERT INTO campaigns (first_seen, last_seen, reports, subject, judge) VALUES (now(), now(), 1, 'Sample campaign', 'text') RETURNING id::text AS id`);
    await ds.query(`UPDATE reports SET campaign_id = $1 WHERE id = $2`, [campaignId, reportId]);
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await svc?.stop();
    await ds?.destroy();
  });

  async function signedIn(viewport: { width: number; height: number }, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, javaScriptEnabled });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(`${svc.url}/login`);
    await page.fill('input[name=email]', 'admin@example.test');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${svc.url}/`), page.click('button[type=submit]')]);
    return { context, page };
  }

  const pages = () => [
    ['dashboard', '/'],
    ['reports', '/ui/reports'],
    ['reports-filtered', '/ui/reports?channel=webform&range=30d'],
    ['report', `/ui/reports/${reportId}`],
    ['submission', `/ui/reports/${lonelySubmission}`],
    ['ip', '/ui/ips/203.0.113.7'],
    ['ip-platform', '/ui/ips/40.107.1.1'],
    ['tenant', '/ui/tenants/contoso'],
    ['listings', '/ui/listings'],
    ['tenant-flags', '/ui/tenant-flags'],
    ['delist', '/ui/delist'],
    ['notifications', '/ui/notifications'],
    ['audit', '/ui/audit'],
    ['failed', '/ui/admin/failed'],
    ['campaigns', '/ui/campaigns'],
    ['campaign', `/ui/campaigns/${campaignId}`],
    ['bad-filter', '/ui/reports?ip=not-an-ip'],
  ] as const;

  const overflow = (page: Page) => page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));

  for (const [viewport, label] of [[PHONE, 'phone'], [DESKTOP, 'desktop']] as const) {
    it(`every analyst page fits the ${label} (${viewport.width} px) and is captured`, async () => {
      const { context, page } = await signedIn(viewport);
      const wide: string[] = [];
      for (const [name, path] of pages()) {
        const res = await page.goto(`${svc.url}${path}`);
        visited.add(path.split('?')[0]!);
        expect(res!.status(), `${path}`).to.be.oneOf([200, 400]);
        const { scroll, inner } = await overflow(page);
        if (scroll > inner) wide.push(`${path}: ${scroll} px in a ${inner} px window`);
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${viewport.width}.png`), fullPage: true });
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${viewport.width}-top.png`) });
      }
      await context.close();
      expect(wide, 'pages wider than the window').to.deep.equal([]);
      expect(cspErrors).to.deep.equal([]);
    });
  }

  it('visited every analyst page the app mounts (a new page joins the list above)', async () => {
    const built = await buildApp();
    const pages = walkRoutes(built.app).filter((r) => r.method === 'GET' && (r.path === '/' || r.path.startsWith('/ui/')));
    await built.close();
    const matches = (pattern: string, path: string) => new RegExp(`^${pattern.replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(path);
    const unvisited = pages.filter((r) => ![...visited].some((v) => matches(r.path, v)));
    expect(unvisited.map((r) => r.path), 'analyst pages not checked at 390 px').to.deep.equal([]);
  });

  it('phone: the menu is one button until opened; desktop: the links are in the header', async () => {
    const phone = await signedIn(PHONE, false);
    await phone.page.goto(`${svc.url}/ui/reports`);
    const reportsLink = phone.page.locator('header nav a', { hasText: 'Delist' });
    expect(await phone.page.locator('header summary').isVisible()).to.equal(true);
    expect(await reportsLink.isVisible()).to.equal(false);
    await phone.page.click('header summary');
    expect(await reportsLink.isVisible()).to.equal(true);
    await phone.page.screenshot({ path: join(ARTIFACTS, `menu-open-${PHONE.width}.png`) });
    const { scroll, inner } = await overflow(phone.page);
    expect(scroll).to.be.at.most(inner);
    await Promise.all([phone.page.waitForURL(/\/ui\/delist$/), reportsLink.click()]);
    await phone.context.close();

    const desk = await signedIn(DESKTOP);
    await desk.page.goto(`${svc.url}/ui/reports`);
    expect(await desk.page.locator('header summary').isVisible()).to.equal(false);
    expect(await desk.page.locator('header nav a', { hasText: 'Delist' }).isVisible()).to.equal(true);
    expect(await desk.page.locator('header nav a[aria-current=page]').textContent()).to.equal('Reports');
    await desk.context.close();
  });

  it('phone: the report table scrolls inside its box, not the page', async () => {
    const { context, page } = await signedIn(PHONE);
    await page.goto(`${svc.url}/ui/reports`);
    const box = await page.locator('.table-wrap').first().evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll, 'the table is wider than a phone').to.be.greaterThan(box.client);
    expect(box.client).to.be.at.most(PHONE.width);
    await context.close();
  });

  it('phone, no JavaScript: lists an IP through the confirmation page, then removes the listing', async () => {
    const { context, page } = await signedIn(PHONE, false);
    await page.goto(`${svc.url}/ui/ips/198.51.100.77`);
    await page.fill('#actions input[name=reason]', 'snowshoe from the phone');
    await Promise.all([page.waitForURL(`${svc.url}/ui/ips/198.51.100.77/list`), page.click('#actions button[type=submit]')]);
    expect(await page.textContent('h1')).to.equal('Confirm: List an IP');
    expect(await ds.query(`SELECT 1 FROM listings WHERE ip = '198.51.100.77'`)).to.have.length(0);
    const { scroll, inner } = await overflow(page);
    expect(scroll).to.be.at.most(inner);
    await page.screenshot({ path: join(ARTIFACTS, `confirm-${PHONE.width}.png`), fullPage: true });
    await Promise.all([page.waitForURL(`${svc.url}/ui/ips/198.51.100.77`), page.click('button[name=confirm]')]);
    expect(await page.textContent('[role=status]')).to.equal('Listed 198.51.100.77.');
    expect(await ds.query(`SELECT actor, action FROM analyst_audit WHERE subject_key = '198.51.100.77'`)).to.deep.equal([{ actor: 'user:admin@example.test', action: 'ip.list' }]);
    // Cancel on the confirmation page leaves the listing alone.
    await page.fill('#actions input[name=reason]', 'changed my mind');
    await page.click('#actions button[type=submit]');
    await Promise.all([page.waitForURL(`${svc.url}/ui/ips/198.51.100.77`), page.click('a.button', { hasText: 'Cancel' } as never)]);
    expect(await ds.query(`SELECT 1 FROM listings WHERE ip = '198.51.100.77'`)).to.have.length(1);
    await context.close();
  });
});

/** One of everything an analyst page shows, including long and hostile reporter text. */
async function seed(ds: DataSource): Promise<{ reportId: string; lonelySubmission: string }> {
  const description = `Got this <img src=x onerror=alert(1)> three times today.\n${'The sender keeps changing its address, '.repeat(12)}\nPlease block https://phish.example/very/long/path/${'x'.repeat(120)}`;
  const id = await seedReport(ds, {
    channel: 'webform', category: 'phishing', description, subject: 'Verify your mailbox quota now '.repeat(4),
    relayIp: '40.107.1.1', originatingIp: '203.0.113.7', direction: 'outbound', tenant: 'contoso', confidence: 'high', receivedAt: hoursAgo(2),
    messageId: `<${'m'.repeat(80)}@bulk.example>`, from: `${'very.long.sender.name'.repeat(3)}@bulk.example`,
  });
  for (let i = 0; i < 60; i++) {
    await seedReport(ds, { channel: i % 3 ? 'smtp' : 'http', relayIp: '203.0.113.7', originatingIp: `2001:db8:${i}::1`, receivedAt: hoursAgo(i * 5), subject: `Cheap pills #${i}` });
  }
  await ds.query(`INSERT INTO reputation_subjects (kind, key, score, updated_at, platform) VALUES ('ip', '40.107.1.1', 0, now(), true)`);
  await ds.query(`INSERT INTO listings (ip, listed_at, reasons) VALUES ('203.0.113.7', now(), '["score 12.4 above 10 with 6 reporters"]')`);
  await ds.query(`INSERT INTO tenant_flags (tenant_id, flagged_at, score, reasons) VALUES ('contoso', now(), 9.5, '["score 9.5 over 8 (complaint rate 0.4% of 2,000 delivered)"]')`);
  await ds.query(
    `INSERT INTO delist_requests (id, ip, email, token_sha256, created_at, expires_at, used_at, status, reasons)
     VALUES (gen_random_uuid(), '203.0.113.7', 'postmaster@a-rather-long-sender-domain.example', repeat('c', 64), now(), now() + interval '1 day', now(), 'queued',
             '["delisted 3 times in the last 30 days", "score 7.1 has not decayed below 2"]')`,
  );
  await ds.query(
    `INSERT INTO notifications (id, tenant_id, channel, recipients, status, attempts, last_error) VALUES
       (gen_random_uuid(), 'contoso', 'arf', '{abuse@contoso.example,soc-team@contoso.example}', 'failed', 5, '451 4.7.1 Greylisted, please try again in 300 seconds (relay.contoso.example)')`,
  );
  await ds.query(
    `INSERT INTO analyst_audit (actor, action, subject_kind, subject_key, reason) VALUES ('user:admin@example.test', 'ip.list', 'ip', '203.0.113.7', 'seen in six feeds')`,
  );
  const lonely = randomUUID();
  await ds.query(
    `INSERT INTO submissions (id, channel, received_at, processed_at, size_bytes, status, error, category, description)
     VALUES ($1, 'webform', now() - interval '1 hour', now(), 512, 'failed', 'unparseable: the message has no header section (first line: "hello there, this is not mail at all")', 'spam', 'see attached')`,
    [lonely],
  );
  return { reportId: id, lonelySubmission: lonely };
}
