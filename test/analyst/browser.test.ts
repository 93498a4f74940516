import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { startTestService, bearer, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitForSubmission } from '../helpers/db.ts';
import { createUser } from '../../shared/users/users.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { probeInlineScript } from '../helpers/csp.ts';

const here = dirname(fileURLToPath(import.meta.url));
const HOSTILE = join(here, '../fixtures/hostile');
const ARTIFACTS = join(here, '../artifacts');
const PASSWORD = 'correct horse battery';

/**
 * Headless Chromium against the real service: sign in, search, and open reports built from the
 * hostile fixtures. Any dialog, any request to the tracker, any request leaving the service's
 * origin fails the test. Screenshots go to test/artifacts/ (gitignored).
 */
describe('analyst UI in a browser (hostile content)', function () {
  this.timeout(120_000);
  let svc: TestService;
  let ds: DataSource;
  let tracker: Server;
  let trackerUrl: string;
  const trackerHits: string[] = [];
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const foreignRequests: string[] = [];
  const reportIds: Record<string, string> = {};

  before(async function () {
    svc = await startTestService({ ROLES: 'api,worker' });
    ds = await testDataSource();
    await truncateAll(ds);
    tracker = createServer((req, res) => {
      trackerHits.push(req.url ?? '');
      res.end('tracked');
    });
    await new Promise<void>((r) => tracker.listen(0, '127.0.0.1', () => r()));
    trackerUrl = `http://127.0.0.1:${(tracker.address() as { port: number }).port}`;

    const intake = await bearer(ds, 'intake');
    for (const name of ['script-everywhere', 'forward-javascript']) {
      const raw = readFileSync(join(HOSTILE, `${name}.eml`), 'latin1').replaceAll('__TRACKER__', trackerUrl);
      const res = await fetch(`${svc.url}/v1/intake/email`, {
        method: 'POST',
        body: new Uint8Array(Buffer.from(raw, 'latin1')),
        headers: { 'content-type': 'message/rfc822', authorization: intake },
      });
      const { id } = (await res.json()) as { id: string };
      const done = await waitForSubmission(ds, id);
      expect(done.status, done.error ?? '').to.equal('processed');
      const [row]: { id: string }[] = await ds.query(`SELECT id FROM reports WHERE submission_id = $1 ORDER BY idx LIMIT 1`, [id]);
      reportIds[name] = row!.id;
    }
    await seedBackground(ds);
    await createUser(ds, 'analyst@example.test', 'analyst', PASSWORD);

    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    // Signed in here, not by the first test, so that every test passes alone (mocha --grep).
    page = await openPage();
    await signIn(page);
  });

  /** A page (its own context: its own cookies) whose dialogs and foreign requests the afterEach checks. */
  async function openPage(): Promise<Page> {
    const p = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    p.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    p.on('request', (r) => {
      if (!r.url().startsWith(svc.url)) foreignRequests.push(r.url());
    });
    return p;
  }

  async function signIn(p: Page): Promise<void> {
    await p.goto(`${svc.url}/`);
    expect(p.url()).to.include('/login?next=');
    await p.fill('input[name=email]', 'analyst@example.test');
    await p.fill('input[name=password]', PASSWORD);
    await p.click('button[type=submit]');
    await p.waitForURL(`${svc.url}/`);
  }

  after(async () => {
    await browser?.close();
    await new Promise<void>((r) => tracker.close(() => r()));
    await svc.stop();
    await ds.destroy();
  });

  afterEach(() => {
    expect(dialogs, 'JavaScript dialogs opened').to.deep.equal([]);
    expect(trackerHits, 'requests that reached the tracker').to.deep.equal([]);
    expect(foreignRequests, 'requests that left the service').to.deep.equal([]);
  });

  it('signs in through the form and shows the dashboard with its chart', async () => {
    const fresh = await openPage();
    try {
      await signIn(fresh);
      await fresh.waitForSelector('#chart canvas');
      expect(await fresh.textContent('h1')).to.equal('Dashboard');
      await fresh.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    } finally {
      await fresh.context().close();
    }
  });

  it('serves pages whose CSP makes the browser refuse inline script (JavaScript on)', async () => {
    for (const path of ['/ui/reports', '/login']) {
      const res = await page.goto(`${svc.url}${path}`);
      expect(res!.status(), path).to.equal(200);
      expect(await probeInlineScript(page), path).to.deep.equal({ scripting: true, ran: false, violated: 'script-src-elem' });
    }
  });

  it('searches by text and keeps the query in the URL', async () => {
    await page.goto(`${svc.url}/ui/reports`);
    await page.fill('input[name=q]', 'Verify your account');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=Verify\+your\+account/);
    const rows = await page.locator('table.reports tbody tr').count();
    expect(rows).to.equal(1);
    await page.screenshot({ path: join(ARTIFACTS, 'search.png'), fullPage: true });
  });

  it('opens the hostile report: markup shows as text, nothing runs, nothing is fetched', async () => {
    await page.goto(`${svc.url}/ui/reports?q=${encodeURIComponent('alert("subject")')}`);
    await page.click('table.reports tbody tr a[href^="/ui/reports/"]');
    await page.waitForURL(`${svc.url}/ui/reports/${reportIds['script-everywhere']}`);
    expect(await page.textContent('h1')).to.include('<script>alert("subject")</script>');
    const text = await page.textContent('main');
    expect(text).to.include(`<img src="${trackerUrl}/pixel.gif"`); // the HTML part, as escaped source
    expect(text).to.include("onerror=alert('from')");
    expect(await page.locator('main script, main img, main iframe, main svg').count()).to.equal(0);
    expect(await page.locator('a[href^="javascript:"], a[href^="data:"]').count()).to.equal(0);
    await page.click('main details summary'); // reveal the HTML source too (the header's menu is a <details> too)
    expect(await page.locator('tr.highlight').count()).to.be.at.most(1);
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  });

  it('opens a forwarded phish: the inner message is shown, attachments by name only', async () => {
    await page.goto(`${svc.url}/ui/reports/${reportIds['forward-javascript']}`);
    const text = (await page.textContent('main')) ?? '';
    expect(text).to.include('Verify your account');
    expect(text).to.include('<img src=x onerror=alert(9)>.html');
    expect(await page.locator('main svg, main img').count()).to.equal(0);
  });

  it('shows IP and tenant pages with a history chart', async () => {
    await page.goto(`${svc.url}/ui/ips/203.0.113.10`);
    await page.waitForSelector('.chart canvas');
    expect(await page.textContent('h1')).to.include('203.0.113.10');
    await page.screenshot({ path: join(ARTIFACTS, 'ip.png'), fullPage: true });
    await page.goto(`${svc.url}/ui/tenants/contoso`);
    await page.waitForSelector('.chart canvas');
  });

  it('is keyboard-usable: Tab reaches the navigation and the search form', async () => {
    await page.goto(`${svc.url}/ui/reports`);
    const focused: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.getAttribute('name') ?? document.activeElement?.textContent ?? ''));
    }
    expect(focused).to.include('Reports');
    expect(focused).to.include('q');
  });
});

/** Background volume so the dashboard has a realistic week: 2,000 reports, 40 IPs, 6 tenants. */
async function seedBackground(ds: DataSource): Promise<void> {
  await ds.query(`INSERT INTO raw_messages (sha256, content, size_bytes) VALUES (repeat('b', 64), 'Subject: x\r\n\r\nx', 14) ON CONFLICT DO NOTHING`);
  await ds.query(`
    INSERT INTO submissions (id, channel, received_at, raw_sha256, size_bytes, status)
    SELECT gen_random_uuid(), (ARRAY['smtp','http','form'])[1 + g % 3],
           now() - (power(random(), 1.6) * interval '7 days'), repeat('b', 64), 14, 'processed'
      FROM generate_series(1, 2000) g`);
  await ds.query(`
    INSERT INTO reports (id, submission_id, idx, received_at, channel, kind, subject, from_address, from_domain, message_id,
                         received_chain, direction, relay_ip, originating_ip, tenant_id, tenant_confidence, feedback_type)
    SELECT gen_random_uuid(), s.id, 0, s.received_at, s.channel, (ARRAY['forward','arf','direct'])[1 + n % 3],
           (ARRAY['Your invoice is overdue','Congratulations, you won','Account suspended – verify now','Cheap meds online','Crypto doubling offer'])[1 + n % 5],
           'promo' || (n % 50) || '@' || d.domain, d.domain, '<' || n || '@' || d.domain || '>', '[]',
           CASE WHEN n % 3 = 0 THEN 'outbound' WHEN n % 3 = 1 THEN 'foreign' ELSE 'inbound' END,
           ('203.0.113.' || (10 + floor(power(random(), 2) * 40)::int))::inet,
           ('198.51.100.' || (1 + floor(power(random(), 2) * 60)::int))::inet,
           CASE WHEN n % 3 = 0 THEN (ARRAY['contoso','fabrikam','northwind','tailspin','adatum','litware'])[1 + floor(power(random(), 2) * 6)::int] END,
           CASE WHEN n % 3 = 0 THEN 'high' END,
           CASE WHEN n % 3 = 1 THEN 'abuse' END
      FROM (SELECT id, received_at, channel, row_number() OVER () AS n FROM submissions WHERE raw_sha256 = repeat('b', 64)) s
      CROSS JOIN LATERAL (SELECT (ARRAY['cheap-deals.example','prize-center.example','secure-login.example','bulkmail.example'])[1 + (s.n % 4)::int] AS domain) d`);
}
