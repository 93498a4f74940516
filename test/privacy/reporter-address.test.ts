import { expect } from 'chai';
import { bearer, useTestService } from '../helpers/service.ts';
import { waitForSubmission } from '../helpers/db.ts';
import { Browserless } from '../analyst/ui-login.ts';
import { createUser } from '../../shared/users/users.ts';
import { applyRetention } from '../../workers/maintenance/retention.ts';
import { servedMessages } from '../../api/privacy/served-message.ts';
import { testConfig } from '../helpers/config.ts';
import { createLogger } from '../../shared/logger.ts';

/**
 * Issue 12.12: once a submission is past PSEUDONYMISE_DAYS, neither the raw message download nor the
 * UI's headers view shows the reporter's address — it appears as its pseudonym (the same one the
 * database holds) — while the reported message inside the wrapper stays byte-exact. Both ends are
 * compared: what was submitted, and what the API and the UI serve.
 */
const KEY = 'a-test-pseudonymisation-key-0123456789';
const REPORTER = 'pat.recipient@customer.example';
const DAY = 86_400_000;

/** The spam as the reporter received it: its To is the reporter (the reported message, kept byte-exact). */
const INNER = Buffer.from([
  'Received: from mail.bulk.example (mail.bulk.example [198.51.100.77])', '\tby mx.customer.example with ESMTP id P12; Thu, 26 Nov 2026 10:00:00 +0000',
  'From: "Prize Dept" <winner@bulk.example>', `To: ${REPORTER}`, 'Subject: you have won', 'Message-ID: <privacy-inner@bulk.example>',
  'Date: Thu, 26 Nov 2026 10:00:00 +0000', '', `Dear ${REPORTER}, claim your prize.`, '',
].join('\r\n'));

/** The reporter's forward as an attachment: the address in the wrapper's From, its text (plain and base64) and a signature. */
function forward(): Buffer {
  const b64 = Buffer.from(`Sent by ${REPORTER.toUpperCase()} from my phone.\r\n`).toString('base64');
  return Buffer.concat([
    Buffer.from([
      `From: "Pat Recipient" <${REPORTER.replace('pat', 'Pat')}>`, 'To: spam@reports.localhost', 'Subject: Fwd: you have won',
      `Reply-To: ${REPORTER}`, 'Message-ID: <privacy-fwd@customer.example>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="fw"', '',
      '--fw', 'Content-Type: text/plain', '', `Spam again. -- Pat <${REPORTER}>`, '',
      '--fw', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', b64, '',
      '--fw', 'Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="spam.eml"', '', '',
    ].join('\r\n')),
    INNER,
    Buffer.from('\r\n--fw--\r\n'),
  ]);
}

describe('the reporter\'s address after PSEUDONYMISE_DAYS (issue 12.12)', () => {
  const t = useTestService({ ROLES: 'api,worker', PSEUDONYMISE_KEY: KEY, PSEUDONYMISE_DAYS: '30' });
  let analyst: string;
  beforeEach(async () => {
    analyst = await bearer(t.ds, 'analyst');
  });

  /** Submits `raw` over the HTTP pipe with X-Reporter, waits for its report; returns the ids. */
  async function submit(raw: Buffer): Promise<{ submission: string; report: string }> {
    const res = await fetch(`${t.svc.url}/v1/intake/email`, {
      method: 'POST', body: new Uint8Array(raw), headers: { 'content-type': 'message/rfc822', authorization: await bearer(t.ds, 'intake'), 'x-reporter': REPORTER },
    });
    const { id } = (await res.json()) as { id: string };
    expect((await waitForSubmission(t.ds, id)).status).to.equal('processed');
    const [row] = await t.ds.query(`SELECT id FROM reports WHERE submission_id = $1`, [id]);
    return { submission: id, report: row.id };
  }
  /** Moves a submission `days` into the past (as time would). */
  const age = (submission: string, days: number) =>
    t.ds.query(`UPDATE submissions SET received_at = received_at - $2 * interval '1 day' WHERE id = $1; `, [submission, days])
      .then(() => t.ds.query(`UPDATE reports SET received_at = received_at - $2 * interval '1 day' WHERE submission_id = $1`, [submission, days]));
  const download = async (report: string) => {
    const res = await fetch(`${t.svc.url}/v1/reports/${report}/raw`, { headers: { authorization: analyst } });
    expect(res.status).to.equal(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const outsideInner = (raw: Buffer) => {
    const at = raw.indexOf(INNER);
    return at < 0 ? raw.toString('latin1') : raw.toString('latin1', 0, at) + raw.toString('latin1', at + INNER.length);
  };
  async function uiPage(report: string): Promise<string> {
    await createUser(t.ds, 'analyst@example.test', 'analyst', 'correct horse battery');
    const ui = new Browserless(t.svc.url);
    expect((await ui.login('analyst@example.test', 'correct horse battery')).status).to.equal(303);
    const res = await ui.fetch(`/ui/reports/${report}`);
    expect(res.status).to.equal(200);
    return res.text();
  }

  it('before PSEUDONYMISE_DAYS: the download is the submission, byte for byte', async () => {
    const raw = forward();
    const { report } = await submit(raw);
    expect((await download(report)).equals(raw)).to.equal(true);
  });

  it('after it: the download shows the stored pseudonym in the wrapper, nowhere the address, and the reported message byte-exact', async () => {
    const raw = forward();
    const { submission, report } = await submit(raw);
    await age(submission, 31);
    await applyRetention(t.ds, { retentionDays: 180, pseudonymiseDays: 30, key: Buffer.from(KEY) });
    const [{ reporter }] = await t.ds.query(`SELECT reporter FROM submissions WHERE id = $1`, [submission]);
    expect(reporter).to.match(/^pseud:[0-9a-f]{64}$/);

    const served = await download(report);
    expect(served.indexOf(INNER), 'the reported message, byte-exact').to.be.greaterThan(0);
    const wrapper = outsideInner(served);
    expect(wrapper.toLowerCase()).not.to.include(REPORTER);
    expect(wrapper).to.include(`From: "Pat Recipient" <${reporter}>`);
    expect(wrapper).to.include(`Reply-To: ${reporter}`);
    expect(wrapper).to.include(`-- Pat <${reporter}>`);
    // The base64 part of the wrapper was decoded, rewritten and encoded again.
    const b64 = /base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n\r\n--fw/.exec(wrapper)![1]!;
    expect(Buffer.from(b64, 'base64').toString()).to.equal(`Sent by ${reporter} from my phone.\r\n`);
    // Nothing else in the wrapper changed.
    expect(wrapper.replaceAll(reporter, 'X').replace(b64, 'B64')).to.equal(
      outsideInner(raw).replace(/pat\.recipient@customer\.example/gi, 'X').replace(/base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n\r\n--fw/, 'base64\r\n\r\nB64\r\n\r\n--fw'),
    );
  });

  it('after it, even before the retention job ran: the address is hidden all the same', async () => {
    const { submission, report } = await submit(forward());
    await age(submission, 31);
    expect(outsideInner(await download(report)).toLowerCase()).not.to.include(REPORTER);
  });

  it('after it: the UI\'s headers view shows the pseudonym, never the address (the spam\'s To included)', async () => {
    const raw = forward();
    const { submission, report } = await submit(raw);
    await age(submission, 31);
    await applyRetention(t.ds, { retentionDays: 180, pseudonymiseDays: 30, key: Buffer.from(KEY) });
    const [{ reporter }] = await t.ds.query(`SELECT reporter FROM submissions WHERE id = $1`, [submission]);
    const page = await uiPage(report);
    expect(page.toLowerCase()).not.to.include(REPORTER);
    const headers = /<h2>Headers<\/h2><pre>([\s\S]*?)<\/pre>/.exec(page)![1]!;
    expect(headers).to.include(`To: ${reporter}`);
    expect(headers).to.include('From: &quot;Prize Dept&quot; &lt;winner@bulk.example&gt;');
  });

  it('a direct submission is the reported message itself: its download stays byte-exact, the UI still hides the address', async () => {
    const { submission, report } = await submit(INNER);
    await age(submission, 31);
    await applyRetention(t.ds, { retentionDays: 180, pseudonymiseDays: 30, key: Buffer.from(KEY) });
    expect((await download(report)).equals(INNER)).to.equal(true);
    expect((await uiPage(report)).toLowerCase()).not.to.include(REPORTER);
  });

  it('in production without PSEUDONYMISE_KEY: a recent message is served, an old one is refused (config_invalid), never shown', async () => {
    const raw = forward();
    const recent = await submit(raw);
    const served = servedMessages({ ds: t.ds, log: createLogger('silent'), config: testConfig({ NODE_ENV: 'production', PSEUDONYMISE_DAYS: '30' }) });
    expect((await served.forReport(recent.report))!.content!.equals(raw)).to.equal(true);
    await age(recent.submission, 31);
    const refused = await served.forReport(recent.report).then(() => null, (err: Error & { code?: string }) => err.code);
    expect(refused).to.equal('config_invalid');
  });
});
