import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { launchBrowser } from '../helpers/browser.ts';
import { probeInlineScript } from '../helpers/csp.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitForSubmission } from '../helpers/db.ts';
import { startCaptureServer, type CaptureServer } from '../helpers/smtp-capture.ts';
import { linkToken, spamFrom } from '../trust/helpers.ts';
import { translator } from '../../api/web/i18n/catalog.ts';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: '390 px', width: 390, height: 844 },
];
const itReport = translator('it', 'report');
const itReporters = translator('it', 'reporters');

/**
 * Issue 16, point 5: the report form, the status page, /report/confirm and /reporters in English
 * and Italian — chosen by Accept-Language, switched by a link that is remembered across pages (a
 * cookie), with validation errors and mails in the chosen language. JavaScript off, as a visitor
 * without it; desktop and phone width.
 */
describe('public pages in English and Italian in headless Chromium, desktop and 390 px', function () {
  this.timeout(120_000);
  let svc: TestService;
  let ds: DataSource;
  let capture: CaptureServer;
  let browser: Browser;
  let cspViolations: string[] = [];

  before(async function () {
    browser = await launchBrowser(this);
    capture = await startCaptureServer();
    svc = await startTestService({
      ROLES: 'api,worker', MAIL_RELAY_URL: capture.url, PUBLIC_URL: 'https://abuse.example', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-i18n-browser`,
      WEBFORM_LIMIT_PER_IP: '1000', WEBFORM_LIMIT_PER_REPORTER: '1000',
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
  beforeEach(() => {
    cspViolations = [];
  });
  afterEach(function () {
    if (this.currentTest?.state === 'passed') expect(cspViolations, 'CSP violations raised by this test').to.deep.equal([]);
  });

  /** A browser whose Accept-Language is `acceptLanguage` (as Chromium sends it for a user's language setting). */
  const newContext = async (acceptLanguage: string, viewport: { width: number; height: number }, javaScriptEnabled = false): Promise<BrowserContext> => {
    const context = await browser.newContext({ javaScriptEnabled, viewport, extraHTTPHeaders: { 'Accept-Language': acceptLanguage } });
    context.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return context;
  };
  const lang = (page: Page) => page.getAttribute('html', 'lang');
  const h1 = async (page: Page) => (await page.textContent('h1'))?.trim();
  /** Nothing wider than the window: no sideways scrolling on a phone, whatever the language. */
  const fits = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${page.url()} fits`).to.equal(true);
  const mailedLink = async (n: number, path: string) => {
    const mail = (await capture.waitFor(n))[n - 1]!;
    return { mail, url: `${svc.url}${path}?token=${linkToken(mail.text, path)}` };
  };
  const submit = (page: Page, url: string, selector = 'button[type=submit]') => Promise.all([page.waitForURL(`${svc.url}${url}`), page.click(selector)]);

  for (const [i, vp] of VIEWPORTS.entries()) {
    it(`${vp.name}: Accept-Language it gives the Italian form, with validation errors in Italian`, async () => {
      const context = await newContext('it', vp);
      const page = await context.newPage();
      const res = await page.goto(`${svc.url}/report`);
      expect(res?.status()).to.equal(200);
      expect(res?.headers()['vary']).to.match(/accept-language/i);
      expect(await lang(page)).to.equal('it');
      expect(await h1(page)).to.equal('Segnala spam o abusi');
      expect(await page.textContent('button[type=submit]')).to.equal('Invia segnalazione');
      expect(await page.textContent('select[name=category] option[value=scam]')).to.equal('Truffa / frode');
      expect(await page.textContent('#privacy')).to.match(/^Conserviamo il tuo indirizzo email/).and.match(/Dopo \d+ giorn[oi] /);
      await fits(page);

      await page.fill('textarea[name=description]', 'è arrivato stamattina');
      await submit(page, '/report');
      expect(await lang(page)).to.equal('it');
      expect(await page.textContent('.errors strong')).to.equal('Correggi i 3 campi indicati sotto.');
      expect(await page.textContent('#email-error')).to.equal('inserisci il tuo indirizzo email');
      expect(await page.textContent('#category-error')).to.equal('scegli tra: Spam, Phishing, Malware, Truffa / frode, Altro abuso');
      expect(await page.textContent('#message-error')).to.equal('carica il file .eml oppure incolla le intestazioni del messaggio');
      expect(await page.inputValue('textarea[name=description]')).to.equal('è arrivato stamattina');
      await fits(page);

      await page.fill('input[name=email]', 'non-un-indirizzo');
      await page.selectOption('select[name=category]', 'spam');
      await page.fill('textarea[name=source]', 'Ho ricevuto una mail strana');
      await submit(page, '/report');
      expect(await page.textContent('.errors strong')).to.equal('Correggi i 2 campi indicati sotto.');
      expect(await page.textContent('#email-error')).to.equal(itReport('errors.emailInvalid'));
      expect(await page.textContent('#message-error')).to.match(/^non sembra un messaggio/);
      await context.close();
    }).timeout(60_000);

    it(`${vp.name}: the switch to English is remembered across pages, over Accept-Language it, and back`, async () => {
      const context = await newContext('it-IT,it;q=0.9', vp);
      const page = await context.newPage();
      await page.goto(`${svc.url}/report`);
      expect(await lang(page)).to.equal('it');
      // The switch names each language in itself and comes back to the page it was used on.
      await submit(page, '/report', 'nav.lang-switch a[hreflang=en]');
      expect(await lang(page)).to.equal('en');
      expect(await h1(page)).to.equal('Report spam or abuse');
      expect(await page.textContent('nav.lang-switch [aria-current=true]')).to.equal('English');
      await fits(page);

      // Another page, another family (namespace): still English — the cookie beats Accept-Language.
      await page.goto(`${svc.url}/reporters`);
      expect(await lang(page)).to.equal('en');
      expect(await h1(page)).to.equal('A personal address for reporting spam');
      // Passes the browser's own check of type=email (the form is not novalidate), not ours.
      await page.fill('form:has(#request-address) input[name=email]', 'someone@localhost');
      await submit(page, '/reporters', '#request-address');
      expect(await page.textContent('#form-error')).to.equal('Enter one valid email address.');
      await page.goto(`${svc.url}/report/status/not-a-tracking-id`);
      expect(await h1(page)).to.equal('Not a tracking id');

      // And back to Italian from /reporters: the form and its errors follow.
      await page.goto(`${svc.url}/reporters`);
      await submit(page, '/reporters', 'nav.lang-switch a[hreflang=it]');
      expect(await lang(page)).to.equal('it');
      expect(await h1(page)).to.equal(itReporters('reporters.heading'));
      await fits(page);
      await page.fill('form:has(#request-address) input[name=email]', 'qualcuno@localhost');
      await submit(page, '/reporters', '#request-address');
      expect(await page.textContent('#form-error')).to.equal('Inserisci un solo indirizzo email valido.');
      await page.goto(`${svc.url}/report`);
      expect(await h1(page)).to.equal('Segnala spam o abusi');
      await submit(page, '/report');
      expect(await page.textContent('#email-error')).to.equal('inserisci il tuo indirizzo email');
      await context.close();
    }).timeout(60_000);

    it(`${vp.name}: in Italian, report → confirmation page, Italian mail, /report/confirm and the status page`, async () => {
      const context = await newContext('it', vp);
      const page = await context.newPage();
      await page.goto(`${svc.url}/report`);
      await page.fill('input[name=email]', `italiano${i}@example.org`);
      await page.selectOption('select[name=category]', 'scam');
      await page.fill('textarea[name=source]', spamFrom('198.51.100.96', `it${i}`).toString('utf8'));
      const mailed = capture.mails.length;
      await submit(page, '/report');
      expect(await h1(page)).to.equal('Grazie: abbiamo ricevuto la tua segnalazione');
      const id = (await page.textContent('#tracking-id'))!.trim();
      expect(await page.textContent('#confirmation')).to.include(`Abbiamo inviato un link di conferma a italiano${i}@example.org.`);
      await fits(page);

      const { mail, url } = await mailedLink(mailed + 1, '/report/confirm');
      expect(mail.subject).to.equal(`Conferma la tua segnalazione di abuso ${id.slice(0, 8)}`);
      expect(mail.text).to.include(`Abbiamo ricevuto una segnalazione di abuso che indica italiano${i}@example.org`);

      await page.goto(url);
      expect(await lang(page)).to.equal('it');
      expect(await h1(page)).to.equal('Conferma la segnalazione');
      expect(await page.textContent('dl.facts')).to.include('Truffa / frode');
      await fits(page);
      await submit(page, '/report/confirm', '#confirm');
      expect(await page.getAttribute('#result', 'data-status')).to.equal('confirmed');
      expect(await h1(page)).to.equal('Grazie: la segnalazione è confermata');
      await fits(page);

      await waitForSubmission(ds, id);
      await page.goto(`${svc.url}/report/status/${id}`);
      expect(await h1(page)).to.equal('La tua segnalazione');
      expect(await page.textContent('#status')).to.include('Letta e registrata');
      expect(await page.textContent('#outcome')).to.equal(itReport('outcome.outside'));
      await fits(page);
      await context.close();
    }).timeout(60_000);

    it(`${vp.name}: in Italian, /reporters → Italian mail → the personal address page`, async () => {
      const context = await newContext('it', vp);
      const page = await context.newPage();
      await page.goto(`${svc.url}/reporters`);
      expect(await page.textContent('main')).to.include('report+…@reports.localhost');
      await page.fill('form:has(#request-address) input[name=email]', `telefono${i}@example.org`);
      const mailed = capture.mails.length;
      await submit(page, '/reporters', '#request-address');
      expect(await page.getAttribute('#result', 'data-status')).to.equal('mailed');
      expect(await h1(page)).to.equal('Controlla la posta');
      const { mail, url } = await mailedLink(mailed + 1, '/reporters/confirm');
      expect(mail.subject).to.equal('Il tuo indirizzo personale per segnalare abusi');
      await page.goto(url);
      expect(await page.textContent('#confirm')).to.equal('Mostra il mio indirizzo');
      await fits(page);
      await submit(page, '/reporters/confirm', '#confirm');
      expect(await page.textContent('#personal-address')).to.match(/^report\+[a-z2-7]{26}@reports\.localhost$/);
      expect(await page.textContent('main')).to.include(itReporters('address.onlyTime'));
      expect(await page.getAttribute('main a[href="/reporters"]', 'href')).to.equal('/reporters');
      await fits(page);
      await page.goto(url);
      expect(await h1(page)).to.equal('Questo link è già stato usato');
      expect(await page.textContent('#result')).to.include(itReporters('linkUsed.addressShown'));
      await context.close();
    }).timeout(60_000);
  }

  it('the Italian pages\' CSP makes the browser refuse inline script (JavaScript on)', async () => {
    const context = await newContext('it', VIEWPORTS[0]!, true);
    const page = await context.newPage();
    for (const path of ['/report', '/reporters']) {
      const res = await page.goto(`${svc.url}${path}`);
      expect(await lang(page)).to.equal('it');
      expect(res?.headers()['content-security-policy']).to.match(/script-src 'self'(?![^;]*unsafe-inline)/);
      expect(await probeInlineScript(page), path).to.deep.equal({ scripting: true, ran: false, violated: 'script-src-elem' });
    }
    cspViolations = cspViolations.filter((v) => !/inline script/i.test(v)); // the probe's own, expected
    await context.close();
  });

  it('POST /v1/reports stays English for an Italian client (APIs are not localised); its mail is Italian', async () => {
    const res = await fetch(`${svc.url}/v1/reports`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'it' }, body: JSON.stringify({ email: 'nope', category: 'x' }),
    });
    expect(res.status).to.equal(400);
    const p = (await res.json()) as { details: { fields: Record<string, string> } };
    expect(p.details.fields).to.deep.equal({
      email: 'enter a valid email address, like name@example.com', category: 'choose one of: spam, phishing, malware, scam, other',
      message: 'upload the .eml file or paste the message headers',
    });
    const mailed = capture.mails.length;
    const ok = await fetch(`${svc.url}/v1/reports`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'it' },
      body: JSON.stringify({ email: 'pulsante@example.org', category: 'spam', message: spamFrom('198.51.100.97', 'api-it').toString('utf8') }),
    });
    expect(ok.status).to.equal(202);
    expect((await ok.json()) as { confirmation: object }).to.have.property('confirmation').that.has.all.keys('mailed', 'to', 'expiresAt', 'reason');
    const { mail } = await mailedLink(mailed + 1, '/report/confirm');
    expect(mail.subject).to.match(/^Conferma la tua segnalazione di abuso /);
  });
});
