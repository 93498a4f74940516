import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { startTestService, bearer, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitForSubmission } from '../helpers/db.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { sendRaw, message, RawSmtp } from './smtp-client.ts';

// 001.eml: a 2001 spam with a full Received chain (its top hop is the recipient's MX).
const SPAM = corpusFile('spam/spamassassin/001.eml');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

interface Row {
  id: string;
  channel: string;
  envelope_from: string | null;
  envelope_to: string[] | null;
  client_ip: string | null;
  category: string | null;
  reporter: string | null;
  content: Buffer;
}

async function stored(ds: DataSource, id: string): Promise<Row> {
  const [row] = await ds.query(
    `SELECT s.id, s.channel, s.envelope_from, s.envelope_to, host(s.client_ip) AS client_ip, s.category, s.reporter, r.content
       FROM submissions s JOIN raw_messages r ON r.sha256 = s.raw_sha256 WHERE s.id = $1`,
    [id],
  );
  return row as Row;
}

describe('SMTP front door', () => {
  let svc: TestService;
  let ds: DataSource;

  before(async () => {
    svc = await startTestService({ ROLES: 'api,smtp,worker', SMTP_HOSTNAME: 'mx.test.example', MAX_MESSAGE_BYTES: '65536' });
    ds = await testDataSource();
  });
  after(async () => {
    await svc.stop();
    await ds.destroy();
  });
  beforeEach(() => truncateAll(ds));

  it('accepts mail for an intake address only after commit, records the envelope, and processes it', async () => {
    const res = await sendRaw(svc.smtpPort!, { from: 'reporter@example.org', to: ['spam@reports.localhost'], raw: SPAM });
    expect(res.response).to.match(/^250 2\.6\.0 OK: queued as /);
    const id = UUID.exec(res.response)![0];
    // 250 came after the commit: the row is there already.
    const row = await stored(ds, id);
    expect(row).to.include({ channel: 'smtp', envelope_from: 'reporter@example.org', client_ip: '127.0.0.1', category: 'spam', reporter: 'reporter@example.org' });
    expect(row.envelope_to).to.deep.equal(['spam@reports.localhost']);
    const text = row.content.toString('latin1');
    expect(text).to.match(
      /^Received: from client\.test\.example \(\[127\.0\.0\.1\]\)\r\n\tby mx\.test\.example with ESMTP id [0-9a-v]+\.\d+\r\n\tfor <spam@reports\.localhost>;\r\n\t\w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000\r\n/,
    );
    // The reported message follows our header unchanged (SMTP carries it with CRLF line ends).
    const crlf = Buffer.from(SPAM.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
    expect(row.content.subarray(row.content.length - crlf.length).equals(crlf)).to.equal(true);
    expect((await waitForSubmission(ds, id)).status).to.equal('processed');
    const analyst = await bearer(ds, 'analyst');
    const api = (await (await fetch(`${svc.url}/v1/submissions/${id}`, { headers: { authorization: analyst } })).json()) as {
      reports: { subject: string }[];
    };
    expect(api.reports[0]!.subject).to.equal('There yours for FREE!');
  });

  it('files the feedback-loop address under its category and drops unknown recipients of the same transaction', async () => {
    const res = await sendRaw(svc.smtpPort!, { from: 'fbl@provider.example', to: ['nobody@reports.localhost', 'FBL@Reports.Localhost'], raw: message('fbl') });
    expect(res.ok).to.equal(true);
    const row = await stored(ds, UUID.exec(res.response)![0]);
    expect(row.category).to.equal('feedback-loop');
    expect(row.envelope_to).to.deep.equal(['fbl@reports.localhost']);
    await waitForSubmission(ds, row.id); // let the worker finish before the next test truncates
  });

  it('answers 550 5.1.1 for any other recipient and stores nothing (never a relay)', async () => {
    for (const to of ['victim@gmail.com', 'postmaster@reports.localhost', 'spam@reports.localhost.evil.example']) {
      const res = await sendRaw(svc.smtpPort!, { from: 'x@example.org', to: [to], raw: message('relay') });
      expect(res.ok, to).to.equal(false);
      expect(res.response, to).to.match(/^550 5\.1\.1 /);
    }
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM submissions`);
    expect(n).to.equal(0);
  });

  it('answers 552 5.3.4 for a message over MAX_MESSAGE_BYTES and stores nothing', async () => {
    const big = message('big', 'x'.repeat(998) + '\r\n'.repeat(1) + ('y'.repeat(998) + '\r\n').repeat(80));
    const res = await sendRaw(svc.smtpPort!, { from: 'x@example.org', to: ['spam@reports.localhost'], raw: big });
    expect(res.code).to.equal(552);
    expect(res.response).to.match(/^552 5\.3\.4 /);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM submissions`);
    expect(n).to.equal(0);
  });

  it('files abuse@ under the abuse category', async () => {
    const a = await sendRaw(svc.smtpPort!, { from: 'x@example.org', to: ['abuse@reports.localhost'], raw: message('second') });
    expect(a.ok).to.equal(true);
    const row = await stored(ds, UUID.exec(a.response)![0]);
    expect(row.category).to.equal('abuse');
    await waitForSubmission(ds, row.id);
  });
});

describe('SMTP front door with STARTTLS', () => {
  let svc: TestService;
  let ds: DataSource;
  let dir: string;
  let cert: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smtp-tls-'));
    // A throwaway self-signed certificate for the test host name.
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=mx.test.example',
      '-addext', 'subjectAltName=DNS:mx.test.example', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    svc = await startTestService({
      // No worker here, and a prefix of its own so no other test's worker picks these jobs up.
      ROLES: 'smtp', SMTP_HOSTNAME: 'mx.test.example', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-tls`,
      SMTP_TLS_KEY_FILE: join(dir, 'key.pem'), SMTP_TLS_CERT_FILE: join(dir, 'cert.pem'),
    });
    ds = await testDataSource();
  });
  after(async () => {
    await svc.stop();
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('upgrades with the configured certificate and records ESMTPS', async () => {
    const res = await sendRaw(svc.smtpPort!, {
      from: 'x@example.org', to: ['spam@reports.localhost'], raw: message('tls'),
      requireTLS: true, tls: { ca: [cert], servername: 'mx.test.example' },
    });
    expect(res.response).to.match(/^250 /);
    const row = await stored(ds, UUID.exec(res.response)![0]);
    expect(row.content.toString('latin1')).to.match(/^Received: from \S+ \(\[127\.0\.0\.1\]\)\r\n\tby mx\.test\.example with ESMTPS id /);
  });

  it('refuses a client that requires TLS with a certificate it does not trust', async () => {
    const res = await sendRaw(svc.smtpPort!, {
      from: 'x@example.org', to: ['spam@reports.localhost'], raw: message('untrusted'), requireTLS: true, tls: { servername: 'mx.test.example' },
    });
    expect(res.ok).to.equal(false);
  });
});

describe('SMTP front door shutdown', () => {
  it('refuses SIZE= over the limit at MAIL FROM, and stops cleanly with a client gone mid-DATA', async () => {
    const svc = await startTestService({ ROLES: 'smtp', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-smtpstop`, MAX_MESSAGE_BYTES: '65536' });
    const ds = await testDataSource();
    try {
      await truncateAll(ds);
      const { smtp, greeting } = await RawSmtp.open(svc.smtpPort!);
      expect(greeting).to.match(/^220 /);
      expect(await smtp.command('EHLO client.test.example')).to.match(/^250 /);
      expect(await smtp.command('MAIL FROM:<a@example.org> SIZE=70000')).to.match(/^552 /);
      expect(await smtp.command('MAIL FROM:<a@example.org>')).to.match(/^250 /);
      expect(await smtp.command('RCPT TO:<spam@reports.localhost>')).to.match(/^250 /);
      expect(await smtp.command('DATA')).to.match(/^354 /);
      smtp.write('Subject: half a message\r\n\r\nand then the client');
      smtp.socket.destroy();
      // The server must neither store the half message nor hang on it when stopping.
      await svc.stop();
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM submissions`);
      expect(n).to.equal(0);
    } finally {
      await ds.destroy();
    }
  });
});
