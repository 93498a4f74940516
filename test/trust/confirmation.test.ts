import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { bearer, startTestService, type ServiceFixture } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitUntil } from '../helpers/db.ts';
import { startCaptureServer, type CaptureServer } from '../helpers/smtp-capture.ts';
import { FormClient, reportForm } from '../intake/form-client.ts';
import { createLogger } from '../../shared/logger.ts';
import { createSubmissionQueue } from '../../shared/queue/submission-queue.ts';
import { createRedis } from '../../shared/queue/redis.ts';
import { confirmSubmission } from '../../shared/trust/trust-changes.ts';
import { applyTrustChanges } from '../../workers/trust/apply-trust-changes.ts';
import { processSubmission } from '../../workers/submissions/process-submission.ts';
import { analyzeWithTenancy } from '../../workers/submissions/analyze-with-tenancy.ts';
import { insertSubmission, settings } from '../reputation/fixtures.ts';
import { linkToken, openLink, spamFrom, waitAllProcessed } from './helpers.ts';

const IP = '198.51.100.60';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('web reports: a mailed confirmation link makes the reporter verified', () => {
  const f = {} as ServiceFixture & { capture: CaptureServer };
  before(async () => {
    f.capture = await startCaptureServer();
    f.svc = await startTestService({
      ROLES: 'api,worker', MAIL_RELAY_URL: f.capture.url, PUBLIC_URL: 'https://abuse.example', LIST_THRESHOLD: '2.9',
      // Its own Redis prefix: the mail budgets of other suites (same client IP) do not reach here.
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}-confirm`, WEBFORM_LIMIT_PER_IP: '1000',
    });
    f.ds = await testDataSource();
  });
  after(async () => {
    await f.svc?.stop();
    await f.ds?.destroy();
    await f.capture?.close();
  });
  beforeEach(async () => {
    await truncateAll(f.ds);
    f.capture.mails.splice(0);
  });

  const ipEvents = async () => ((await f.ds.query(`SELECT count(*)::int AS n FROM reputation_events WHERE kind = 'ip' AND key = $1`, [IP])) as { n: number }[])[0]!.n;
  const ipScore = async () => ((await f.ds.query(`SELECT score FROM reputation_subjects WHERE kind = 'ip' AND key = $1`, [IP])) as { score: number }[])[0]?.score ?? 0;
  const postReport = async (email: string, n: number | string) => {
    const res = await fetch(`${f.svc.url}/v1/reports`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, category: 'spam', message: spamFrom(IP, n).toString('utf8') }),
    });
    expect(res.status).to.equal(202);
    return (await res.json()) as { id: string; reporterTrust: string; confirmation: { mailed: boolean; to: string; expiresAt: string | null; reason: string | null } };
  };

  it('POST /v1/reports: counts for nothing until confirmed; GET only shows; POST confirms once, with the report\'s own time; twice or redelivered changes nothing more', async () => {
    const body = await postReport('Reporter+tag@Example.org', 1);
    expect(body).to.deep.include({ reporterTrust: 'anonymous' });
    expect(body.confirmation).to.deep.include({ mailed: true, to: 'reporter+tag@example.org', reason: null });
    const [mail] = await f.capture.waitFor(1);
    expect(mail!.to).to.deep.equal(['reporter+tag@example.org']);
    expect(mail!.parsed.headers.get('auto-submitted')).to.equal('auto-generated');
    const token = linkToken(mail!.text);
    expect(mail!.text).to.include(`https://abuse.example/report/confirm?token=${token}`);
    await waitAllProcessed(f.ds, 1);
    expect(await ipEvents()).to.equal(0);

    // Mail scanners and previews open links: a GET shows the report and changes nothing.
    const page = await openLink(f.svc.url, '/report/confirm', token);
    await openLink(f.svc.url, '/report/confirm', token);
    expect(page.status).to.equal(200);
    expect(page.html).to.include(body.id).and.include('id="confirm"');
    const [before] = await f.ds.query(`SELECT s.reporter_trust, c.used_at FROM submissions s JOIN trust_confirmations c ON c.submission_id = s.id`);
    expect(before).to.deep.equal({ reporter_trust: 'anonymous', used_at: null });

    const first = await page.press();
    expect(first.status).to.equal(200);
    expect(first.html).to.include('data-status="confirmed"');
    await waitUntil(async () => ((await ipEvents()) > 0 ? true : undefined), 'the confirmed report to count');
    const score = await ipScore();
    expect(score).to.be.within(0.99, 1);
    const [s] = await f.ds.query(`SELECT s.reporter_trust, s.reporter_identity, r.reporter_trust AS report_trust FROM submissions s JOIN reports r ON r.submission_id = s.id`);
    expect(s).to.deep.equal({ reporter_trust: 'verified', reporter_identity: 'reporter@example.org', report_trust: 'verified' });
    const [ev] = await f.ds.query(`SELECT e.at, s.received_at FROM reputation_events e JOIN reports r ON r.id = e.report_id JOIN submissions s ON s.id = r.submission_id WHERE e.kind = 'ip'`);
    expect(ev.at.getTime()).to.equal(ev.received_at.getTime()); // dated at the report, not at the click

    const second = await page.press();
    expect(second.html).to.include('data-status="used"');
    // Redelivery: the job again, and even with its "applied" mark lost — the report already counts.
    await f.ds.query(`UPDATE report_trust_changes SET applied_at = NULL, effect = NULL`);
    const ctx = { settings: settings({ listThreshold: 2.9 }) };
    expect((await applyTrustChanges(f.ds, ctx)).applied).to.equal(1);
    expect((await applyTrustChanges(f.ds, ctx)).applied).to.equal(0);
    const deps = { ds: f.ds, log: createLogger('silent'), analyze: analyzeWithTenancy(f.ds, 5), reputation: ctx };
    expect((await processSubmission(deps, body.id)).outcome).to.equal('already-done');
    expect(await ipEvents()).to.equal(1);
    expect(await ipScore()).to.be.closeTo(score, 1e-3);
    const [change] = await f.ds.query(`SELECT actor, to_trust, effect FROM report_trust_changes`);
    expect(change).to.deep.include({ actor: 'reporter:reporter@example.org', to_trust: 'verified' });
    expect(change.effect).to.include('already counted');
  });

  it('the web form says the link was mailed; three confirmed reporters list the IP', async () => {
    for (const [i, who] of ['ann@one.example', 'bob@two.example', 'cy@three.example'].entries()) {
      const client = new FormClient(f.svc.url);
      const { token } = await client.open();
      const { res, html } = await client.post(reportForm({ _csrf: token, email: who, category: 'spam', source: spamFrom(IP, `form${i}`).toString('utf8') }));
      expect(res.status).to.equal(200);
      expect(html).to.include('data-mailed="true"').and.include(`We mailed a confirmation link to <strong>${who}</strong>`);
      const mails = await f.capture.waitFor(i + 1);
      expect((await (await openLink(f.svc.url, '/report/confirm', linkToken(mails[i]!.text))).press()).status).to.equal(200);
    }
    const lookup = async () => (await (await fetch(`${f.svc.url}/v1/lookup/${IP}`, { headers: { authorization: await bearer(f.ds, 'platform') } })).json()) as { listed: boolean; reasons: string[] };
    const listed = await waitUntil(async () => ((await lookup()).listed ? lookup() : undefined), 'three confirmed reporters to list the IP');
    expect(listed!.reasons.join()).to.include('3 distinct reporters');
  });

  it('refuses unknown and expired links without changing anything', async () => {
    const body = await postReport('late@example.org', 2);
    const token = linkToken((await f.capture.waitFor(1))[0]!.text);
    expect((await openLink(f.svc.url, '/report/confirm', 'x'.repeat(43))).status).to.equal(404);
    await f.ds.query(`UPDATE trust_confirmations SET expires_at = now() - interval '1 second'`);
    const page = await openLink(f.svc.url, '/report/confirm', token);
    expect(page.status).to.equal(404);
    expect(page.html).to.include('data-status="invalid"');
    const [s] = await f.ds.query(`SELECT reporter_trust FROM submissions WHERE id = $1`, [body.id]);
    expect(s.reporter_trust).to.equal('anonymous');
  });

  it('a confirmation before the worker processed the report: the worker applies it, and the trust job adds nothing', async () => {
    const id = await insertSubmission(f.ds, 'early@example.org', spamFrom(IP, 'early').toString('latin1'), { trust: 'anonymous', identity: null, feedbackLoop: null });
    const change = await f.ds.transaction((em) => confirmSubmission(em, id, 'Early@Example.org', new Date()));
    expect(change.changeId).to.match(/^\d+$/);
    const ctx = { settings: settings() };
    const deps = { ds: f.ds, log: createLogger('silent'), analyze: analyzeWithTenancy(f.ds, 5), reputation: ctx };
    expect((await processSubmission(deps, id)).outcome).to.equal('processed');
    await applyTrustChanges(f.ds, ctx);
    expect(await ipEvents()).to.equal(1);
    const [r] = await f.ds.query(`SELECT reporter_trust FROM reports WHERE submission_id = $1`, [id]);
    expect(r.reporter_trust).to.equal('verified');
  });

  it('applies a late confirmation at the report\'s own time: a day-old report counts half', async () => {
    const id = await insertSubmission(f.ds, 'old@example.org', spamFrom(IP, 'old').toString('latin1'), { trust: 'anonymous', identity: null, feedbackLoop: null });
    await f.ds.query(`UPDATE submissions SET received_at = now() - interval '24 hours' WHERE id = $1`, [id]);
    const ctx = { settings: settings() };
    const deps = { ds: f.ds, log: createLogger('silent'), analyze: analyzeWithTenancy(f.ds, 5), reputation: ctx };
    await processSubmission(deps, id);
    expect(await ipEvents()).to.equal(0);
    await f.ds.transaction((em) => confirmSubmission(em, id, 'old@example.org', new Date()));
    await applyTrustChanges(f.ds, ctx);
    expect(await ipScore()).to.be.closeTo(0.5, 0.001);
  });
});

describe('confirmation mail limits: per address (normalised) and per client IP', () => {
  const f = {} as ServiceFixture & { capture: CaptureServer };
  before(async () => {
    f.capture = await startCaptureServer();
    f.svc = await startTestService({
      ROLES: 'api', MAIL_RELAY_URL: f.capture.url, PUBLIC_URL: 'https://abuse.example', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-mail-limits`,
      CONFIRM_MAILS_PER_ADDRESS: '3', CONFIRM_MAILS_PER_IP: '5', WEBFORM_LIMIT_PER_IP: '1000',
    });
    f.ds = await testDataSource();
    await truncateAll(f.ds);
  });
  after(async () => {
    await f.svc?.stop();
    await f.ds?.destroy();
    await f.capture?.close();
  });

  it('+tag variants share one budget; the client IP has its own; the report is stored either way', async () => {
    const run = randomUUID().slice(0, 8);
    const who = [`jo+1-${run}@example.org`, `JO+2-${run}@example.org`, `jo@example.org`, `jo+4-${run}@example.org`, `ann-${run}@example.org`, `bob-${run}@example.org`];
    const mailed: boolean[] = [];
    for (const [i, email] of who.entries()) {
      const res = await fetch(`${f.svc.url}/v1/reports`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, category: 'spam', message: spamFrom(IP, `limit${i}`).toString('utf8') }),
      });
      expect(res.status).to.equal(202);
      const body = (await res.json()) as { id: string; confirmation: { mailed: boolean } };
      expect(body.id).to.match(UUID);
      mailed.push(body.confirmation.mailed);
    }
    // jo@, jo+…@: three mails, the fourth refused; then the IP's fifth attempt is its last.
    expect(mailed).to.deep.equal([true, true, true, false, true, false]);
    await f.capture.waitFor(4);
    expect(f.capture.mails.map((m) => m.to[0])).to.have.length(4);
    expect((await f.ds.query(`SELECT count(*)::int AS n FROM submissions`))[0].n).to.equal(6);
  });
});
