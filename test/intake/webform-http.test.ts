import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { FormClient, reportForm } from './form-client.ts';

// 001.eml: a 2001 spam with plain headers (LF line ends: an upload is stored byte for byte).
const SPAM = corpusFile('spam/spamassassin/001.eml');
const HEADERS_ONLY = 'Received: from mail.sender.example (mail.sender.example [203.0.113.7])\n\tby mx.victim.example; Fri, 27 Nov 2026 10:00:00 +0000\nFrom: bad@sender.example\nSubject: win\n';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('report form and POST /v1/reports over HTTP', () => {
  let svc: TestService;
  let ds: DataSource;
  let client: FormClient;

  before(async () => {
    // No worker: a prefix of its own keeps these jobs away from other tests' workers.
    svc = await startTestService({
      ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-webform`, MAX_MESSAGE_BYTES: '65536', WEBFORM_LIMIT_PER_IP: '1000', WEBFORM_LIMIT_PER_REPORTER: '1000',
    });
    ds = await testDataSource();
  });
  after(async () => {
    await svc.stop();
    await ds.destroy();
  });
  beforeEach(async () => {
    await truncateAll(ds);
    client = new FormClient(svc.url);
  });

  const count = async () => (await ds.query(`SELECT count(*)::int AS n FROM submissions`))[0].n as number;

  describe('GET /report', () => {
    it('serves the form with a CSRF token, a honeypot and a CSP that forbids inline script', async () => {
      const { res, html, token } = await client.open();
      expect(res.status).to.equal(200);
      expect(token).to.have.length.greaterThan(20);
      expect(html).to.include('name="website"');
      expect(html).to.include('enctype="multipart/form-data"');
      expect(html).not.to.match(/<script(?![^>]*\bsrc=)/);
      // Every directive that can allow a script (the browser test asks Chromium itself, with JavaScript on).
      const csp = res.headers.get('content-security-policy') ?? '';
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!.toLowerCase(), values]));
      expect(directives.get('script-src') ?? directives.get('default-src'), 'script-src or default-src').to.be.an('array');
      for (const name of ['default-src', 'script-src', 'script-src-elem', 'script-src-attr']) {
        expect(directives.get(name) ?? [], name).not.to.include("'unsafe-inline'");
      }
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      const css = await fetch(`${svc.url}/static/app.css`);
      expect(css.status).to.equal(200);
    });
  });

  describe('POST /report', () => {
    it('stores pasted headers CRLF-normalised with channel webform and shows the tracking id', async () => {
      const { token } = await client.open();
      const { res, html } = await client.post(reportForm({ _csrf: token, email: 'Victim@Example.org', category: 'phishing', description: 'fake bank', source: HEADERS_ONLY }));
      expect(res.status).to.equal(200);
      const id = /id="tracking-id">([^<]+)</.exec(html)?.[1];
      expect(id).to.match(UUID);
      const [row] = await ds.query(
        `SELECT s.channel, s.reporter, s.category, s.description, host(s.client_ip) AS ip, r.content FROM submissions s JOIN raw_messages r ON r.sha256 = s.raw_sha256 WHERE s.id = $1`,
        [id],
      );
      expect(row).to.include({ channel: 'webform', reporter: 'victim@example.org', category: 'phishing', description: 'fake bank', ip: '127.0.0.1' });
      expect((row.content as Buffer).toString('utf8')).to.equal(HEADERS_ONLY.replace(/\n/g, '\r\n'));
    });

    it('stores an uploaded .eml byte for byte', async () => {
      const { token } = await client.open();
      const { res, html } = await client.post(
        reportForm({ _csrf: token, email: 'a@example.org', category: 'spam' }, { bytes: SPAM, name: '001.eml', type: 'message/rfc822' }),
      );
      expect(res.status).to.equal(200);
      const id = /id="tracking-id">([^<]+)</.exec(html)![1];
      const [row] = await ds.query(`SELECT r.content FROM submissions s JOIN raw_messages r ON r.sha256 = s.raw_sha256 WHERE s.id = $1`, [id]);
      expect((row.content as Buffer).equals(SPAM)).to.equal(true);
    });

    it('re-renders per-field errors with the input kept (escaped)', async () => {
      const { token } = await client.open();
      const { res, html } = await client.post(reportForm({ _csrf: token, email: '"><script>alert(1)</script>', category: 'bogus', description: 'kept <b>text</b>' }));
      expect(res.status).to.equal(400);
      expect(html).to.include('id="email-error">enter a valid email address, like name@example.com<');
      // The form's words are its option labels, never the internal values.
      expect(html).to.include('id="category-error">choose one of: Spam, Phishing, Malware, Scam / fraud, Other abuse<');
      expect(html).to.match(/id="message-error">upload the \.eml file or paste the message headers</);
      expect(html).to.include('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
      expect(html).to.include('>kept &lt;b&gt;text&lt;/b&gt;</textarea>');
      expect(html).not.to.include('<script>alert(1)');
      expect(await count()).to.equal(0);
    });

    it('answers 403 with an HTML page when the CSRF token is missing', async () => {
      await client.open();
      const { res, html } = await client.post(reportForm({ email: 'a@example.org', category: 'spam', source: HEADERS_ONLY }));
      expect(res.status).to.equal(403);
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      expect(html).to.include('Form expired');
      expect(await count()).to.equal(0);
    });

    it('answers 403 when the token comes without its cookie (another site posting)', async () => {
      const { token } = await client.open();
      const res = await fetch(`${svc.url}/report`, { method: 'POST', body: reportForm({ _csrf: token, email: 'a@example.org', category: 'spam', source: HEADERS_ONLY }) });
      expect(res.status).to.equal(403);
    });

    it('refuses a filled honeypot and stores nothing', async () => {
      const { token } = await client.open();
      const { res } = await client.post(reportForm({ _csrf: token, email: 'a@example.org', category: 'spam', source: HEADERS_ONLY, website: 'http://spam.example' }));
      expect(res.status).to.equal(400);
      expect(await count()).to.equal(0);
    });

    it('refuses an upload that is neither a message nor text (415) and one over MAX_MESSAGE_BYTES (413)', async () => {
      let { token } = await client.open();
      const png = await client.post(reportForm({ _csrf: token, email: 'a@example.org', category: 'spam' }, { bytes: Buffer.from('\x89PNG'), name: 'x.png', type: 'image/png' }));
      expect(png.res.status).to.equal(415);
      expect(png.html).to.match(/id="message-error">upload a message/);
      expect(png.html).to.include('value="a@example.org"');
      ({ token } = await client.open());
      const big = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), Buffer.alloc(70_000, 'a')]);
      const over = await client.post(reportForm({ _csrf: token, email: 'a@example.org', category: 'spam' }, { bytes: big, name: 'big.eml', type: 'message/rfc822' }));
      expect(over.res.status).to.equal(413);
      expect(await count()).to.equal(0);
    });

    it('asks for one message source, not both, and refuses text that is not a message', async () => {
      const { token } = await client.open();
      const both = await client.post(reportForm({ _csrf: token, email: 'a@example.org', category: 'spam', source: HEADERS_ONLY }, { bytes: SPAM, name: 'a.eml', type: 'message/rfc822' }));
      expect(both.html).to.include('upload a file or paste the message, not both');
      const { token: t2 } = await client.open();
      const prose = await client.post(reportForm({ _csrf: t2, email: 'a@example.org', category: 'spam', source: 'I got a weird mail yesterday' }));
      expect(prose.res.status).to.equal(400);
      expect(prose.html).to.include('must start with a header line');
    });
  });

  describe('POST /v1/reports', () => {
    const postJson = (body: unknown) =>
      fetch(`${svc.url}/v1/reports`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

    it('accepts JSON with the message as text (202, channel api)', async () => {
      const res = await postJson({ email: 'button@example.org', category: 'spam', message: HEADERS_ONLY });
      expect(res.status).to.equal(202);
      const { id } = (await res.json()) as { id: string };
      const [row] = await ds.query(`SELECT channel, reporter, category FROM submissions WHERE id = $1`, [id]);
      expect(row).to.deep.equal({ channel: 'api', reporter: 'button@example.org', category: 'spam' });
    });

    it('accepts JSON with messageBase64, byte for byte', async () => {
      const res = await postJson({ email: 'button@example.org', category: 'scam', messageBase64: SPAM.toString('base64') });
      expect(res.status).to.equal(202);
      const { id } = (await res.json()) as { id: string };
      const [row] = await ds.query(`SELECT r.content FROM submissions s JOIN raw_messages r ON r.sha256 = s.raw_sha256 WHERE s.id = $1`, [id]);
      expect((row.content as Buffer).equals(SPAM)).to.equal(true);
    });

    it('accepts multipart with the .eml as file `message` and the form\'s CSRF token', async () => {
      const { token } = await client.open();
      const res = await fetch(`${svc.url}/v1/reports`, {
        method: 'POST',
        body: reportForm({ _csrf: token, email: 'button@example.org', category: 'malware' }, { bytes: SPAM, name: '001.eml', type: 'message/rfc822' }),
        headers: { cookie: client.cookieHeader },
      });
      expect(res.status).to.equal(202);
    });

    it('answers problem+json with per-field errors', async () => {
      const res = await postJson({ email: 'nope', category: 'spam' });
      expect(res.status).to.equal(400);
      expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
      const p = (await res.json()) as { title: string; detail: string; details: { fields: Record<string, string> } };
      expect(p.title).to.equal('validation_failed');
      expect(p.details.fields).to.deep.equal({ email: 'enter a valid email address, like name@example.com', message: 'upload the .eml file or paste the message headers' });
      expect(p.detail).to.include('field email:').and.to.include('field message:');
      expect(await count()).to.equal(0);
    });

    it('answers 415 for other content types and 413 for an oversize JSON body', async () => {
      const res = await fetch(`${svc.url}/v1/reports`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
      expect(res.status).to.equal(415);
      const big = await postJson({ email: 'a@example.org', category: 'spam', message: 'Subject: x\n\n' + 'a'.repeat(200_000) });
      expect(big.status).to.equal(413);
    });
  });
});

describe('report limits per client IP and per reporter (Redis)', () => {
  let svc: TestService;
  let redis: Redis;
  const prefix = `${process.env.REDIS_PREFIX}-formlimits`;

  before(async () => {
    svc = await startTestService({ ROLES: 'api', REDIS_PREFIX: prefix, WEBFORM_LIMIT_PER_IP: '4', WEBFORM_LIMIT_PER_REPORTER: '2' });
    redis = new Redis(process.env.REDIS_URL!);
  });
  after(async () => {
    redis.disconnect();
    await svc.stop();
  });
  // Each test starts with fresh budgets: it must pass alone (mocha --grep) and in any order.
  beforeEach(async () => {
    const keys = await redis.keys(`${prefix}:rl:*`);
    if (keys.length) await redis.del(...keys);
  });

  const post = (email: string) =>
    fetch(`${svc.url}/v1/reports`, { method: 'POST', body: JSON.stringify({ email, category: 'spam', message: HEADERS_ONLY }), headers: { 'content-type': 'application/json' } });

  it('limits one reporter address, then the client IP, with 429 and Retry-After', async () => {
    expect((await post('one@example.org')).status).to.equal(202);
    expect((await post('one@example.org')).status).to.equal(202);
    const third = await post('ONE@example.org');
    expect(third.status).to.equal(429);
    expect(Number(third.headers.get('retry-after'))).to.be.greaterThan(0);
    expect(((await third.json()) as { title: string }).title).to.equal('rate_limited');
    // A different reporter still gets through until the IP's budget (4) is spent.
    expect((await post('two@example.org')).status).to.equal(202);
    const fifth = await post('three@example.org');
    expect(fifth.status).to.equal(429);
  });

  it('shows the form limit as an HTML page', async () => {
    // Spend this client IP's budget (4) with distinct reporters, then post the form.
    for (const who of ['a', 'b', 'c', 'd']) expect((await post(`${who}@example.org`)).status).to.equal(202);
    const client = new FormClient(svc.url);
    const { token } = await client.open();
    const { res, html } = await client.post(reportForm({ _csrf: token, email: 'four@example.org', category: 'spam', source: HEADERS_ONLY }));
    expect(res.status).to.equal(429);
    expect(html).to.include('Too many reports');
  });
});
