import { expect } from 'chai';
import net from 'node:net';
import { bearer, useTestService } from '../helpers/service.ts';
import { waitForSubmission, waitUntil } from '../helpers/db.ts';

/**
 * Issue 12.2 end to end: what used to fail a job eight times (and lose the report to reputation)
 * is now stored cleaned and cut, the raw message keeps the full value, and the intake channels
 * never let one odd field fail a group commit.
 */

const spam = (headers: string[], body = 'buy now') => Buffer.from(
  [
    'Received: from mail.bulk.example (mail.bulk.example [198.51.100.77])', '\tby mx.customer.example with ESMTP id P1; Thu, 26 Nov 2026 10:00:00 +0000',
    'From: offers@bulk.example', 'To: pat@customer.example', ...headers, '', body, '',
  ].join('\r\n'),
  'utf8',
);

/** An ARF report from a feedback loop whose Feedback-Type is longer than `reports.feedback_type` (varchar(32)). */
const arf = (feedbackType: string) => Buffer.from([
  'From: fbl@provider.example', 'To: fbl@reports.localhost', 'Subject: FBL report', 'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=feedback-report; boundary="arf"', '',
  '--arf', 'Content-Type: text/plain', '', 'An abuse report.', '',
  '--arf', 'Content-Type: message/feedback-report', '', `Feedback-Type: ${feedbackType}`, 'User-Agent: fbl/1.0', 'Version: 1', '',
  '--arf', 'Content-Type: message/rfc822', '', spam(['Subject: reported', 'Message-ID: <arf-inner@bulk.example>']).toString('utf8'), '--arf--', '',
].join('\r\n'));

/** One SMTP transaction over a bare socket (so the envelope can carry bytes a client library refuses); returns the reply codes. */
async function smtpDialog(port: number, mailFrom: string, raw: Buffer): Promise<number[]> {
  const socket = net.connect(port, '127.0.0.1');
  const codes: number[] = [];
  let buf = '';
  let waiting: (() => void) | null = null;
  socket.on('data', (d) => {
    buf += d.toString('latin1');
    for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (/^\d{3} /.test(line)) {
        codes.push(Number(line.slice(0, 3)));
        waiting?.();
      }
    }
  });
  const reply = () => new Promise<void>((r) => (waiting = r));
  const send = async (bytes: Buffer | string) => {
    const next = reply();
    socket.write(bytes);
    await next;
  };
  await reply(); // greeting
  await send('HELO client.test.example\r\n');
  await send(Buffer.from(`MAIL FROM:<${mailFrom}>\r\n`, 'latin1'));
  if (codes.at(-1) === 250) {
    await send('RCPT TO:<spam@reports.localhost>\r\n');
    await send('DATA\r\n');
    await send(Buffer.concat([raw, Buffer.from('\r\n.\r\n')]));
  }
  socket.end('QUIT\r\n');
  return codes;
}

describe('poison messages are stored, never retried to death (issue 12.2)', () => {
  const t = useTestService({ ROLES: 'api,smtp,worker', WEBFORM_LIMIT_PER_IP: '1000', WEBFORM_LIMIT_PER_REPORTER: '1000' });
  let intake: string;
  let analyst: string;
  beforeEach(async () => {
    intake = await bearer(t.ds, 'intake');
    analyst = await bearer(t.ds, 'analyst');
  });

  const post = async (raw: Buffer, headers: Record<string, string> = {}) => {
    const res = await fetch(`${t.svc.url}/v1/intake/email`, {
      method: 'POST', body: new Uint8Array(raw), headers: { 'content-type': 'message/rfc822', authorization: intake, ...headers },
    });
    expect(res.status).to.equal(202);
    return ((await res.json()) as { id: string }).id;
  };
  const submission = async (id: string) => {
    const res = await fetch(`${t.svc.url}/v1/submissions/${id}`, { headers: { authorization: analyst } });
    return (await res.json()) as { status: string; error: string | null; description: string | null; reporter: string | null; envelopeFrom: string | null; reports: { id: string; subject: string | null; feedbackType: string | null; messageId: string | null }[] };
  };

  it('a NUL in the Subject: processed at once, shown replaced, the raw message keeps it', async () => {
    const raw = spam(['Subject: win\u0000big =?utf-8?q?prize=00now?=', 'Message-ID: <nul\u0000@bulk.example>']);
    const id = await post(raw);
    const done = await waitForSubmission(t.ds, id);
    expect(done.status, done.error ?? '').to.equal('processed');
    const body = await submission(id);
    expect(body.reports).to.have.length(1);
    expect(body.reports[0]!.subject).to.equal('win\ufffdbig prize\ufffdnow');
    expect(body.reports[0]!.messageId).to.equal('<nul\ufffd@bulk.example>');
    // A processed report reached reputation (the domain subject counts it).
    const [subject] = await t.ds.query(`SELECT reports FROM reputation_subjects WHERE kind = 'domain' AND key = 'bulk.example'`);
    expect(subject?.reports).to.equal(1);
    const rawRes = await fetch(`${t.svc.url}/v1/reports/${body.reports[0]!.id}/raw`, { headers: { authorization: analyst } });
    expect(Buffer.from(await rawRes.arrayBuffer()).equals(raw)).to.equal(true);
  });

  it('an ARF Feedback-Type longer than its column: processed, cut to 32 characters', async () => {
    const long = `abuse-${'x'.repeat(60)}`;
    const id = await post(arf(long));
    const done = await waitForSubmission(t.ds, id);
    expect(done.status, done.error ?? '').to.equal('processed');
    const body = await submission(id);
    expect(body.reports[0]!.feedbackType).to.equal(long.slice(0, 32));
    const [row] = await t.ds.query(`SELECT arf->>'feedbackType' AS full FROM reports WHERE id = $1`, [body.reports[0]!.id]);
    expect(row.full, 'the ARF fields keep the whole value').to.equal(long);
  });

  it('web form fields: a lone surrogate is accepted and stored cleaned, with the batch around it; a NUL is refused at the edge', async () => {
    const form = (description: string, n: number) => fetch(`${t.svc.url}/v1/reports`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `form${n}@example.org`, category: 'spam', description, message: `Subject: form ${n}\n\nbody` }),
    });
    // Concurrent: the odd one shares a group commit with the others.
    const answers = await Promise.all([form('ok before', 1), form('a \ud800 b \udc00', 2), form('ok after', 3)]);
    expect(answers.map((a) => a.status)).to.deep.equal([202, 202, 202]);
    const ids = await Promise.all(answers.map(async (a) => ((await a.json()) as { id: string }).id));
    const stored = await Promise.all(ids.map(async (id) => (await submission(id)).description));
    expect(stored).to.deep.equal(['ok before', 'a \ufffd b \ufffd', 'ok after']);
    // NUL: the form's validation answers 400 naming the field (api/webform/report-input.ts); the store would have cleaned it.
    const nul = await form('a\u0000b', 4);
    expect(nul.status).to.equal(400);
    expect(JSON.stringify(await nul.json())).to.include('description');
  });

  it('a NUL in the web form\'s email is a 400 naming the field, nothing stored', async () => {
    const res = await fetch(`${t.svc.url}/v1/reports`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'rep\u0000orter@example.org', category: 'spam', message: 'Subject: x\n\nbody' }),
    });
    expect(res.status).to.equal(400);
    expect(JSON.stringify(await res.json())).to.include('email');
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM submissions`);
    expect(n).to.equal(0);
  });

  it('a NUL in an X-Reporter header never reaches the store (Node refuses the request)', async () => {
    const raw = spam(['Subject: x-reporter']);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(t.svc.httpPort!, '127.0.0.1');
      let got = '';
      socket.on('data', (d) => (got += d.toString('latin1')));
      socket.on('end', () => resolve(got));
      socket.on('error', reject);
      socket.write(Buffer.concat([
        Buffer.from(`POST /v1/intake/email HTTP/1.1\r\nHost: x\r\nAuthorization: ${intake}\r\nContent-Type: message/rfc822\r\nX-Reporter: a\u0000b@example.org\r\nContent-Length: ${raw.length}\r\nConnection: close\r\n\r\n`, 'latin1'),
        raw,
      ]));
    });
    expect(answer).to.match(/^HTTP\/1\.1 400 /);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM submissions`);
    expect(n).to.equal(0);
  });

  it('an SMTP envelope sender with a NUL is refused with 501 (smtp-server), nothing stored', async () => {
    const codes = await smtpDialog(t.svc.smtpPort!, 'rep\u0000orter@example.org', spam(['Subject: smtp nul']));
    expect(codes).to.deep.equal([220, 250, 501]);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM submissions`);
    expect(n).to.equal(0);
  });
});
