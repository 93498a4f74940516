import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { useTestService } from '../helpers/service.ts';
import { createUser } from '../../shared/users/users.ts';
import { Browserless } from './ui-login.ts';
import { unescapeHtml } from './ui-forms.ts';
import { hoursAgo, seedMany, seedReport } from './seed-reports.ts';

/**
 * Issue 14, items 10 and 11 over HTTP: the lists' totals (exact up to 10,000, then "more than"),
 * First / Previous / page numbers / Next that keep every filter, time presets, the channel filter,
 * and the reporter's category and description (an excerpt in lists, all of it on the report page).
 */
describe('UI lists: totals, pages, presets, filters in the URL', function () {
  this.timeout(60_000);
  const t = useTestService({ ROLES: 'api' });
  let b: Browserless;

  beforeEach(async () => {
    await createUser(t.ds, 'lists@example.test', 'admin', 'correct horse battery');
    b = new Browserless(t.svc.url);
    expect((await b.login('lists@example.test', 'correct horse battery')).status).to.equal(303);
  });

  const page = async (path: string, status = 200) => {
    const res = await b.fetch(path);
    const body = await res.text();
    expect(res.status, body.slice(0, 400)).to.equal(status);
    return body;
  };
  /** The href of the link whose text is `text` (unescaped, as a browser would follow it). */
  const link = (html: string, text: string) => {
    const m = new RegExp(`<a (?:rel="(?:next|prev)" )?href="([^"]+)">${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</a>`).exec(html);
    return m ? unescapeHtml(m[1]!) : null;
  };
  const subjects = (html: string) => [...html.matchAll(/<td class="subject"><a href="[^"]+">([^<]*)<\/a>/g)].map((m) => m[1]);

  describe('report search', () => {
    beforeEach(async () => {
      for (let i = 0; i < 5; i++) await seedReport(t.ds, { subject: `r${i}`, channel: 'smtp', receivedAt: hoursAgo(i + 1) });
      await seedReport(t.ds, { subject: 'other channel', channel: 'http', receivedAt: hoursAgo(1.5) });
    });

    it('says how many match and pages forward, back and by number, keeping the filters', async () => {
      const first = await page('/ui/reports?channel=smtp&limit=2');
      expect(first).to.include('1–2 of 5 reports');
      expect(subjects(first)).to.deep.equal(['r0', 'r1']);
      expect(first).to.include('<span class="muted">‹ Previous</span>');
      const next = link(first, 'Next ›')!;
      expect(next).to.match(/^\/ui\/reports\?channel=smtp&limit=2&cursor=[A-Za-z0-9_-]+&page=2$/);
      const second = await page(next);
      expect(second).to.include('3–4 of 5 reports');
      expect(subjects(second)).to.deep.equal(['r2', 'r3']);
      const third = await page(link(second, 'Next ›')!);
      expect(subjects(third)).to.deep.equal(['r4']);
      expect(third).to.include('<span class="muted">Next ›</span>');
      const back = link(third, '‹ Previous')!;
      expect(back).to.match(/^\/ui\/reports\?channel=smtp&limit=2&before=[A-Za-z0-9_-]+&page=2$/);
      expect(subjects(await page(back))).to.deep.equal(['r2', 'r3']);
      expect(link(third, '« First')).to.equal('/ui/reports?channel=smtp&limit=2');
      const byNumber = link(first, '3')!;
      expect(byNumber).to.equal('/ui/reports?channel=smtp&limit=2&page=3');
      const jumped = await page(byNumber);
      expect(subjects(jumped)).to.deep.equal(['r4']);
      expect(jumped).to.include('<span class="current" aria-current="page">3</span>');
    });

    it('filters by channel in the form and refuses a channel that does not exist, naming it', async () => {
      const form = await page('/ui/reports');
      for (const c of ['http', 'smtp', 'webform', 'api']) expect(form).to.include(`<option value="${c}"`);
      expect(subjects(await page('/ui/reports?channel=http'))).to.deep.equal(['other channel']);
      const bad = await page('/ui/reports?channel=form', 400);
      expect(bad).to.include('<code>channel</code>');
    });

    it('presets: the last 24 h, 7 days, 30 days, any time and a custom range (UTC, from the form)', async () => {
      await seedReport(t.ds, { subject: 'ten days', channel: 'smtp', receivedAt: hoursAgo(240) });
      await seedReport(t.ds, { subject: 'forty days', channel: 'smtp', receivedAt: hoursAgo(960) });
      await seedReport(t.ds, { subject: 'two days', channel: 'smtp', receivedAt: hoursAgo(48) });
      const count = async (qs: string) => /<p class="list-count" role="status">([^<]*)<\/p>/.exec(await page(`/ui/reports?channel=smtp&${qs}`))![1];
      expect(await count('range=24h')).to.equal('5 reports');
      expect(await count('range=7d')).to.equal('6 reports');
      expect(await count('range=30d')).to.equal('7 reports');
      expect(await count('range=all')).to.equal('8 reports');
      const since = hoursAgo(250).toISOString().slice(0, 16);
      const until = hoursAgo(47).toISOString().slice(0, 16);
      const custom = await page(`/ui/reports?channel=smtp&range=custom&since=${since}&until=${until}`);
      expect(subjects(custom)).to.deep.equal(['two days', 'ten days']);
      expect(custom).to.include(`name="since" step="60" value="${since}"`);
      // Each preset link keeps the other filters and starts again at page 1.
      expect(link(custom, 'Last 7 days')).to.equal('/ui/reports?channel=smtp&range=7d');
      expect(await page('/ui/reports?range=custom&since=yesterday', 400)).to.include('<code>since</code>');
    });

    it('shows the category and an escaped excerpt of the description; the report page has all of it', async () => {
      const long = `<img src=x onerror=alert(1)> line one\nline two ${'more words '.repeat(20)}THE-END`;
      const id = await seedReport(t.ds, { subject: 'from the form', channel: 'webform', category: 'phishing', description: long, receivedAt: hoursAgo(0.5) });
      const list = await page('/ui/reports?channel=webform');
      expect(list).to.include('<span class="badge category">phishing</span>');
      expect(list).to.include('&lt;img src=x onerror=alert(1)&gt; line one line two more words').and.not.include('<img');
      expect(list).to.include('…').and.not.include('THE-END');
      expect(list).to.include(`<a href="/ui/reports/${id}#submission" class="more">full text</a>`);
      const report = await page(`/ui/reports/${id}`);
      expect(report).to.include('<section class="card" id="submission">');
      expect(report).to.include(`<div class="prewrap description-full">&lt;img src=x onerror=alert(1)&gt; line one\nline two`).and.include('THE-END</div>');
      expect(report).to.include('<span class="badge category">phishing</span>');
    });
  });

  describe('bounded totals', () => {
    it('counts exactly up to 10,000, then says "more than 10,000", with page numbers as far as the bound', async () => {
      await seedMany(t.ds, 10_005);
      const first = await page('/ui/reports');
      expect(first).to.include('1–50 of more than 10,000 reports');
      expect(link(first, '200')).to.equal(null); // not offered from page 1: a window around the current page
      expect(first).to.include('<span class="gap">…</span>');
      const far = await page('/ui/reports?page=200');
      expect(far).to.include('9,951–10,000 of more than 10,000 reports');
      expect(link(far, 'Next ›')).to.match(/cursor=.*&page=201$/);
      // Past the bound a page number is clamped: an offset never walks more than the bound.
      expect(await page('/ui/reports?page=999')).to.include('9,951–10,000 of');
      await t.ds.query(`DELETE FROM reports WHERE id IN (SELECT id FROM reports ORDER BY received_at LIMIT 5)`);
      expect(await page('/ui/reports?range=all')).to.include('1–50 of 10,000 reports');
    });
  });

  describe('the other lists', () => {
    it('listings: total, an IP or network filter, links to each IP', async () => {
      await t.ds.query(`INSERT INTO listings (ip, listed_at, reasons) VALUES ('203.0.113.7', now(), '["score"]'), ('203.0.113.8', now() - interval '2 days', '["score"]'), ('198.51.100.1', now(), '["manual: x"]')`);
      expect(await page('/ui/listings')).to.include('3 listed IPs');
      const net = await page('/ui/listings?cidr=203.0.113.0/24&range=24h');
      expect(net).to.include('1 listed IP').and.include('/ui/ips/203.0.113.7').and.not.include('203.0.113.8<');
    });

    it('tenant flags: open by default, cleared and all on request, with a clear form on open ones', async () => {
      await t.ds.query(`INSERT INTO tenant_flags (tenant_id, flagged_at, score, reasons, cleared_at) VALUES ('contoso', now(), 9, '["x"]', NULL), ('fabrikam', now(), 8, '["y"]', now())`);
      const open = await page('/ui/tenant-flags');
      expect(open).to.include('1 flag').and.include('/ui/tenants/contoso/clear-flag').and.not.include('fabrikam');
      expect(await page('/ui/tenant-flags?state=all')).to.include('2 flags');
      expect(await page('/ui/tenant-flags?state=cleared')).to.include('fabrikam').and.not.include('/ui/tenants/contoso/clear-flag');
    });

    it('delist requests: queued by default, any status on request, forms carry the list to come back to', async () => {
      for (const status of ['queued', 'denied', 'delisted']) {
        await t.ds.query(
          `INSERT INTO delist_requests (id, ip, email, token_sha256, created_at, expires_at, status) VALUES ($1::uuid, '203.0.113.9', 'a@b.example', md5($3) || md5($2), now(), now(), $2)`,
          [randomUUID(), status, randomUUID()],
        );
      }
      const queued = await page('/ui/delist?ip=203.0.113.9');
      expect(queued).to.include('1 request').and.include('name="return" value="/ui/delist?ip=203.0.113.9"');
      expect(await page('/ui/delist?status=all')).to.include('3 requests');
      expect(await page('/ui/delist?status=nope', 400)).to.include('<code>status</code>');
    });

    it('notifications: status and tenant filters, total', async () => {
      await t.ds.query(
        `INSERT INTO notifications (id, tenant_id, channel, recipients, status) VALUES
          (gen_random_uuid(), 'contoso', 'arf', '{a@contoso.example}', 'failed'),
          (gen_random_uuid(), 'contoso', 'arf', '{a@contoso.example}', 'sent'),
          (gen_random_uuid(), 'fabrikam', 'digest', '{a@fabrikam.example}', 'failed')`,
      );
      expect(await page('/ui/notifications')).to.include('3 notifications');
      expect(await page('/ui/notifications?status=failed')).to.include('2 notifications');
      expect(await page('/ui/notifications?status=failed&tenant=contoso')).to.include('1 notification<');
    });

    it('failed submissions: admins only, with the reason and the channel filter', async () => {
      await t.ds.query(
        `INSERT INTO submissions (id, channel, received_at, processed_at, size_bytes, status, error) VALUES
          (gen_random_uuid(), 'smtp', now(), now(), 10, 'failed', 'no header section'),
          (gen_random_uuid(), 'http', now(), now(), 10, 'failed', 'other reason'),
          (gen_random_uuid(), 'http', now(), now(), 10, 'processed', NULL)`,
      );
      const failed = await page('/ui/admin/failed?channel=smtp');
      expect(failed).to.include('1 failed submission').and.include('no header section').and.not.include('other reason');
      await createUser(t.ds, 'plain@example.test', 'analyst', 'correct horse battery');
      const analyst = new Browserless(t.svc.url);
      await analyst.login('plain@example.test', 'correct horse battery');
      expect((await analyst.fetch('/ui/admin/failed')).status).to.equal(403);
      expect(await (await analyst.fetch('/ui/reports')).text()).not.to.include('/ui/admin/failed');
    });
  });
});
