import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { startTestService, bearer, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitForSubmission } from '../helpers/db.ts';
import { CORPUS_DIR } from '../helpers/corpus.ts';
import { createUser } from '../../shared/users/users.ts';
import { PACKAGE_ROOT } from '../../shared/package-root.ts';
import { Browserless } from '../analyst/ui-login.ts';
import { translator } from '../../api/web/i18n/catalog.ts';

const OUTBOUND = readFileSync(join(PACKAGE_ROOT, 'examples/outbound-contoso.eml'));
const FOREIGN = readFileSync(join(CORPUS_DIR, 'spam/spamassassin/001.eml'));
const BOUNCE = readFileSync(join(CORPUS_DIR, 'dsn/sisimai/lhost-exim-01.eml'));
const en = translator('en', 'report');
/** The outcome sentences as the English page prints them (from the `report` translations). */
const OUTCOME_TEXT = { outbound: en('outcome.outbound'), outside: en('outcome.outside'), bounce: en('outcome.bounce'), waiting: en('outcome.waiting') };

/** Issue 14, item 9: the reporter's status page, and analysts finding a submission by its id. */
describe('reporter status page /report/status/:id', function () {
  this.timeout(60_000);
  // Emptied once, before the service imports the tenancy (a truncate per test would drop the tenancy
  // under the worker); every test makes its own submissions.
  const t = {} as { svc: TestService; ds: DataSource };
  before(async () => {
    t.ds = await testDataSource();
    await truncateAll(t.ds);
    t.svc = await startTestService({
      ROLES: 'api,worker', TENANCY_FILE: join(PACKAGE_ROOT, 'examples/demo-tenancy.yaml'),
      WEBFORM_LIMIT_PER_IP: '1000', WEBFORM_LIMIT_PER_REPORTER: '1000',
    });
  });
  after(async () => {
    await t.svc?.stop();
    await t.ds?.destroy();
  });

  const report = async (raw: Buffer) => {
    const res = await fetch(`${t.svc.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'status-reporter@example.org', category: 'spam', messageBase64: raw.toString('base64') }),
    });
    expect(res.status).to.equal(202);
    return ((await res.json()) as { id: string }).id;
  };
  const status = async (id: string) => {
    const res = await fetch(`${t.svc.url}/report/status/${id}`);
    return { res, html: await res.text() };
  };

  it('says received, then read, and what happened in plain words — no IP, tenant or evidence', async () => {
    const id = await report(OUTBOUND);
    await waitForSubmission(t.ds, id);
    const { res, html } = await status(id);
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    expect(html).to.include('data-step="processed"');
    expect(html).to.include(OUTCOME_TEXT.outbound.replace(/'/g, '&#39;'));
    // What the analysts see for this report, none of which a reporter may see.
    const [r] = await t.ds.query(`SELECT host(relay_ip) AS relay, host(originating_ip) AS orig, tenant_id, evidence FROM reports WHERE submission_id = $1`, [id]);
    expect(r.tenant_id).to.equal('contoso');
    for (const secret of [r.relay, r.orig, r.tenant_id, 'outbound.egress', 'evidence', 'score']) expect(html).not.to.include(secret);
  });

  it('a message from outside the platform, and a bounce, each get their own sentence', async () => {
    const foreign = await report(FOREIGN);
    const bounce = await report(BOUNCE);
    await waitForSubmission(t.ds, foreign);
    await waitForSubmission(t.ds, bounce);
    expect((await status(foreign)).html).to.include(OUTCOME_TEXT.outside.replace(/'/g, '&#39;'));
    const b = await status(bounce);
    expect(b.html).to.include(OUTCOME_TEXT.bounce);
    const [{ s }] = await t.ds.query(`SELECT status AS s FROM submissions WHERE id = $1`, [bounce]);
    expect(s).to.equal('discarded');
  });

  it('shows a waiting report as received, not read', async () => {
    // A submission the worker has not reached: inserted as the intake would leave it, without a job.
    const id = '6f1c2d4e-8a5b-4c3d-9e2f-0a1b2c3d4e5f';
    await t.ds.query(`INSERT INTO submissions (id, channel, received_at, size_bytes, status) VALUES ($1, 'webform', now(), 10, 'received')`, [id]);
    const { res, html } = await status(id);
    expect(res.status).to.equal(200);
    expect(html).to.include('data-step="received"').and.include(OUTCOME_TEXT.waiting);
  });

  it('404 for an unknown id and for a submission that is not a public report (SMTP, MTA pipe); 400 for a malformed id', async () => {
    expect((await status('6f1c2d4e-8a5b-4c3d-9e2f-000000000000')).res.status).to.equal(404);
    const intake = await fetch(`${t.svc.url}/v1/intake/email`, {
      method: 'POST', body: new Uint8Array(FOREIGN), headers: { 'content-type': 'message/rfc822', authorization: await bearer(t.ds, 'intake') },
    });
    const { id } = (await intake.json()) as { id: string };
    const viaPipe = await status(id);
    expect(viaPipe.res.status).to.equal(404);
    expect(viaPipe.html).to.include('No such report');
    const bad = await status('not-a-tracking-id');
    expect(bad.res.status).to.equal(400);
    expect(bad.html).to.include('Not a tracking id');
  });

  it('limits look-ups per client IP (429 page with Retry-After), counted in Redis', async () => {
    const svc = await startTestService({ ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-status-limit`, REPORT_STATUS_LIMIT_PER_IP: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await fetch(`${svc.url}/report/status/6f1c2d4e-8a5b-4c3d-9e2f-00000000000${i}`)).status);
      expect(codes).to.deep.equal([404, 404, 404, 429]);
      const limited = await fetch(`${svc.url}/report/status/6f1c2d4e-8a5b-4c3d-9e2f-000000000009`);
      expect(limited.headers.get('retry-after')).to.match(/^\d+$/);
      expect(await limited.text()).to.include('Too many look-ups');
    } finally {
      await svc.stop();
    }
  });

  it('the confirmation page links to the status page', async () => {
    const page = await fetch(`${t.svc.url}/report`);
    const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const form = new FormData();
    for (const [k, v] of Object.entries({ _csrf: token, email: 'status-reporter@example.org', category: 'spam', source: FOREIGN.toString('latin1') })) form.append(k, v);
    const res = await fetch(`${t.svc.url}/report`, { method: 'POST', body: form, headers: { cookie: cookies } });
    const html = await res.text();
    const id = /id="tracking-id">([^<]+)</.exec(html)![1]!;
    expect(html).to.include(`href="/report/status/${id}"`);
    expect((await status(id)).res.status).to.equal(200);
  });

  it('analysts find the submission by the tracking id: API search, and the UI opens its report', async () => {
    const id = await report(OUTBOUND);
    await waitForSubmission(t.ds, id);
    const list = await fetch(`${t.svc.url}/v1/reports?q=${id}`, { headers: { authorization: await bearer(t.ds, 'analyst') } });
    const { items } = (await list.json()) as { items: { id: string }[] };
    const [{ rid }] = await t.ds.query(`SELECT id AS rid FROM reports WHERE submission_id = $1`, [id]);
    expect(items.map((i) => i.id)).to.deep.equal([rid]);

    await createUser(t.ds, 'status-analyst@example.test', 'analyst', 'correct horse battery');
    const ui = new Browserless(t.svc.url);
    await ui.login('status-analyst@example.test', 'correct horse battery');
    const open = await ui.fetch(`/ui/reports/${id}`);
    expect(open.status).to.equal(303);
    expect(open.headers.get('location')).to.equal(`/ui/reports/${rid}`);

    // A submission that made no report opens as itself, with the reason.
    const bounce = await report(BOUNCE);
    await waitForSubmission(t.ds, bounce);
    const page = await ui.fetch(`/ui/reports/${bounce}`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.match(/id="submission-status">discarded</);
    const search = await ui.fetch(`/ui/reports?q=${bounce}`);
    expect(await search.text()).to.include(`href="/ui/reports/${bounce}"`);
  });
});
