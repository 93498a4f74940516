import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { waitForSubmission, waitUntil } from '../helpers/db.ts';
import { forwardedSpam, leakedAddress, RECIPIENT, REPORTER } from './helpers.ts';
import { api, submit, useNotifyService, type NotifyFixture } from './service-fixture.ts';

/** Sends a report about contoso and returns the response link from the ARF mail. */
async function notifiedLink(f: NotifyFixture): Promise<string> {
  await waitForSubmission(f.ds, await submit(f, forwardedSpam()));
  const [mail] = await f.smtp.waitFor(1);
  const path = /\/respond\/[A-Za-z0-9_-]{43}/.exec(mail!.text)![0];
  return `${f.svc.url}${path}`;
}

describe('tenant response page', function () {
  this.timeout(60_000);
  const f = useNotifyService();
  let browser: Browser;
  before(async function () {
    browser = await launchBrowser(this);
  });
  after(async () => browser?.close());

  it('over plain HTTP: a GET changes nothing, a POST needs the CSRF token, the token is stored hashed', async () => {
    const link = await notifiedLink(f);
    const token = link.split('/').pop()!;
    const page = await fetch(link);
    expect(page.status).to.equal(200);
    const htmlText = await page.text();
    expect(htmlText).to.include('Cheap watches').and.include('203.0.113.7');
    expect(leakedAddress(Buffer.from(htmlText), [RECIPIENT, REPORTER])).to.equal(null);
    expect(await f.ds.query(`SELECT count(*)::int AS n FROM notification_answers`)).to.deep.equal([{ n: 0 }]);
    expect(await f.ds.query(`SELECT count(*)::int AS n FROM notifications WHERE token_hash = $1`, [token])).to.deep.equal([{ n: 0 }]); // only the hash is kept
    const forged = await fetch(link, { method: 'POST', body: new URLSearchParams({ answer: 'resolved' }), redirect: 'manual' });
    expect(forged.status).to.equal(403);
    expect((await fetch(`${f.svc.url}/respond/${'A'.repeat(43)}`)).status).to.equal(404);
    await f.ds.query(`UPDATE notifications SET token_expires_at = now() - interval '1 second'`);
    expect((await fetch(link)).status).to.equal(404); // expired after its 30 days
  });

  for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone (390 px)', { width: 390, height: 844 }]] as const) {
    it(`a tenant answers "disputed" in the browser without JavaScript (${name}); analysts see it and a webhook fires`, async () => {
      const rx: string[] = [];
      const hook = await import('node:http').then(({ createServer }) => createServer((req, res) => {
        let b = '';
        req.on('data', (c: Buffer) => (b += c.toString()));
        req.on('end', () => (rx.push(b), res.writeHead(204).end()));
      }));
      await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
      try {
        await api(f, 'POST', '/v1/webhooks', f.admin, { url: `http://127.0.0.1:${(hook.address() as { port: number }).port}/`, events: ['notification.answered'] });
        const link = await notifiedLink(f);
        const context = await browser.newContext({ javaScriptEnabled: false, viewport });
        const page = await context.newPage();
        await page.goto(link);
        expect(await page.locator('h1').textContent()).to.equal('Abuse report for Contoso Ltd');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).to.be.at.most(0);
        await page.check('input[value=disputed]');
        await page.fill('textarea[name=comment]', 'Our customer <b>denies</b> sending this');
        await page.click('button[type=submit]');
        await page.waitForURL(/answered=1/);
        expect(await page.locator('[role=status]').textContent()).to.include('your answer was recorded');
        expect(await page.locator('li').first().textContent()).to.include('<b>denies</b>'); // shown as text, not markup
        await context.close();
        const open = await api<{ answers: { answer: string; comment: string; tenant: string }[] }>(f, 'GET', '/v1/notification-answers?open=true', f.analyst);
        expect(open.body.answers).to.have.length(1);
        expect(open.body.answers[0]).to.include({ answer: 'disputed', tenant: 'contoso', comment: 'Our customer <b>denies</b> sending this' });
        const tenantView = await api<{ notifications: { answers: { answer: string }[] }[] }>(f, 'GET', '/v1/tenants/contoso/notifications', f.analyst);
        expect(tenantView.body.notifications[0]!.answers.map((a) => a.answer)).to.deep.equal(['disputed']);
        const [report]: { id: string }[] = await f.ds.query(`SELECT id FROM reports`);
        const onReport = await api<{ notifications: { answers: { answer: string }[] }[] }>(f, 'GET', `/v1/reports/${report!.id}/notifications`, f.analyst);
        expect(onReport.body.notifications[0]!.answers[0]!.answer).to.equal('disputed');
        await waitUntil(async () => (rx.length ? true : undefined), 'notification.answered webhook');
        expect(JSON.parse(rx[0]!)).to.deep.include({ type: 'notification.answered' });
        const reviewed = await api(f, 'POST', `/v1/notification-answers/${(await f.ds.query(`SELECT id FROM notification_answers`))[0].id}/review`, f.analyst, { note: 'checked with the customer' });
        expect(reviewed.status).to.equal(200);
        expect((await api<{ answers: unknown[] }>(f, 'GET', '/v1/notification-answers?open=true', f.analyst)).body.answers).to.have.length(0);
      } finally {
        await new Promise<void>((r) => hook.close(() => r()));
      }
    });
  }

  for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone (390 px)', { width: 390, height: 844 }]] as const) {
    it(`in Italian for Accept-Language it, errors too, and the switch to English is remembered (${name})`, async () => {
      const link = await notifiedLink(f);
      const context = await browser.newContext({ javaScriptEnabled: false, viewport, extraHTTPHeaders: { 'Accept-Language': 'it' } });
      const page = await context.newPage();
      await page.goto(link);
      expect(await page.getAttribute('html', 'lang')).to.equal('it');
      expect(await page.locator('h1').textContent()).to.equal('Segnalazione di abuso per Contoso Ltd');
      expect(await page.locator('button[type=submit]').textContent()).to.equal('Invia risposta');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).to.be.at.most(0);
      // No answer chosen: the browser's own check (required) is bypassed the way a script or old browser would.
      await page.$eval('form.form', (form) => form.setAttribute('novalidate', ''));
      await Promise.all([page.waitForURL(link), page.click('button[type=submit]')]);
      expect(await page.locator('[role=status]').textContent()).to.equal('Scegli una risposta: risolto, stiamo verificando o contestato.');
      await page.check('input[value=investigating]');
      await Promise.all([page.waitForURL(/answered=1/), page.click('button[type=submit]')]);
      expect(await page.locator('[role=status]').textContent()).to.equal('Grazie: la tua risposta è stata registrata.');
      expect(await page.locator('li').first().textContent()).to.include('Stiamo verificando');
      await Promise.all([page.waitForURL(/answered=1/), page.click('nav.lang-switch a[hreflang=en]')]);
      expect(await page.getAttribute('html', 'lang')).to.equal('en');
      expect(await page.locator('li').first().textContent()).to.include('Investigating');
      await page.goto(link);
      expect(await page.locator('h1').textContent()).to.equal('Abuse report for Contoso Ltd');
      await context.close();
    });
  }
});
