import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { startTestService, bearer, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitForSubmission } from '../helpers/db.ts';
import { CORPUS_DIR } from '../helpers/corpus.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { probeInlineScript } from '../helpers/csp.ts';
import { join } from 'node:path';

const EML = join(CORPUS_DIR, 'spam/spamassassin/001.eml');

describe('report form in headless Chromium', function () {
  this.timeout(60_000);
  let svc: TestService;
  let ds: DataSource;
  let browser: Browser;
  // Violations (inline style, …) reported while the current test ran: each test checks its own.
  let cspViolations: string[] = [];

  before(async function () {
    svc = await startTestService({ ROLES: 'api,worker', WEBFORM_LIMIT_PER_IP: '1000', WEBFORM_LIMIT_PER_REPORTER: '1000' });
    ds = await testDataSource();
    await truncateAll(ds);
    browser = await launchBrowser(this);
  });
  after(async () => {
    await browser?.close();
    await svc.stop();
    await ds.destroy();
  });

  beforeEach(() => {
    cspViolations = [];
  });
  afterEach(function () {
    if (this.currentTest?.state === 'passed') expect(cspViolations, 'CSP violations raised by this test').to.deep.equal([]);
  });

  // JavaScript off: the form must work without it.
  const newPage = async (javaScriptEnabled = false) => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return page;
  };

  it('uploads an .eml, shows a tracking id, and the submission is found through the API', async () => {
    const page = await newPage();
    const res = await page.goto(`${svc.url}/report`);
    expect(res?.status()).to.equal(200);
    expect(res?.headers()['content-security-policy']).to.match(/script-src 'self'(?![^;]*unsafe-inline)/);
    await page.fill('input[name=email]', 'browser-reporter@example.org');
    await page.selectOption('select[name=category]', 'spam');
    await page.fill('textarea[name=description]', 'arrived this morning');
    await page.setInputFiles('input[name=message]', EML);
    await Promise.all([page.waitForURL(`${svc.url}/report`), page.click('button[type=submit]')]);
    const id = (await page.textContent('#tracking-id'))?.trim() ?? '';
    expect(id).to.match(/^[0-9a-f-]{36}$/);

    expect((await waitForSubmission(ds, id)).status).to.equal('processed');
    const api = await fetch(`${svc.url}/v1/submissions/${id}`, { headers: { authorization: await bearer(ds, 'analyst') } });
    expect(api.status).to.equal(200);
    const body = (await api.json()) as { channel: string; reporter: string; category: string; reports: { subject: string }[] };
    expect(body).to.include({ channel: 'webform', reporter: 'browser-reporter@example.org', category: 'spam' });
    expect(body.reports[0]!.subject).to.equal('There yours for FREE!');
    await page.context().close();
  });

  it('shows per-field errors with the input kept when fields are missing', async () => {
    const page = await newPage();
    await page.goto(`${svc.url}/report`);
    await page.fill('textarea[name=description]', 'I forgot the rest');
    await page.click('button[type=submit]');
    await page.waitForSelector('#email-error');
    expect(await page.textContent('#email-error')).to.equal('enter your email address');
    expect(await page.textContent('#category-error')).to.match(/^choose one of/);
    expect(await page.textContent('#message-error')).to.match(/^upload the \.eml file/);
    expect(await page.inputValue('textarea[name=description]')).to.equal('I forgot the rest');
    await page.context().close();
  });

  it('answers a post without the CSRF token with a 403 page', async () => {
    const page = await newPage();
    await page.goto(`${svc.url}/report`);
    await page.fill('input[name=email]', 'x@example.org');
    await page.selectOption('select[name=category]', 'spam');
    await page.fill('textarea[name=source]', 'Subject: hi\n\nbody');
    // A page that lost its token (or a forged form) posts without `_csrf`.
    await page.$eval('input[name=_csrf]', (el) => el.remove()).catch(async () => {
      throw new Error('form has no _csrf field');
    });
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('button[type=submit]')]);
    expect(response.status()).to.equal(403);
    expect(await page.textContent('h1')).to.equal('Form expired');
    await page.context().close();
  });

  it('the form\'s CSP makes the browser refuse inline script (JavaScript on)', async () => {
    const page = await newPage(true);
    const res = await page.goto(`${svc.url}/report`);
    expect(res?.status()).to.equal(200);
    expect(await probeInlineScript(page)).to.deep.equal({ scripting: true, ran: false, violated: 'script-src-elem' });
    cspViolations = cspViolations.filter((v) => !/inline script/i.test(v)); // the probe's own, expected
    await page.context().close();
  });
});
