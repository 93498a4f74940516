import { expect } from 'chai';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { DataSource } from 'typeorm';
import { bearer, startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitUntil } from '../helpers/db.ts';
import { FormClient, reportForm } from '../intake/form-client.ts';

const HEADERS_ONLY = 'Received: from a.example (a.example [203.0.113.7])\r\n\tby mx.example; Fri, 27 Nov 2026 10:00:00 +0000\r\nSubject: hi\r\n';
const MAX = 100_000;

/** A JSON report whose message is `size` bytes (as base64). */
function jsonReport(size: number, email = 'r@example.org'): Buffer {
  const message = Buffer.alloc(size, 'a');
  Buffer.from(HEADERS_ONLY + '\r\n').copy(message);
  return Buffer.from(JSON.stringify({ email, category: 'spam', messageBase64: message.toString('base64') }));
}

/** A POST whose body is sent in two halves: the second only when `finish()` is called. */
class HeldPost {
  readonly answer: Promise<{ status: number; body: string }>;
  private readonly req: ClientRequest;

  constructor(svc: TestService, private readonly body: Buffer, clientIp: string, target: { path: string; headers: Record<string, string | number> } = { path: '/v1/reports', headers: { 'content-type': 'application/json', 'content-length': body.length } }) {
    this.req = request(`${svc.url}${target.path}`, { method: 'POST', headers: { ...target.headers, 'x-forwarded-for': clientIp } });
    this.answer = new Promise((resolve, reject) => {
      this.req.on('response', (res: IncomingMessage) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      this.req.on('error', (err) => (this.settled ? undefined : reject(err)));
    });
    void this.answer.then(() => (this.settled = true), () => undefined);
    this.req.write(body.subarray(0, body.length >> 1));
  }

  settled = false;

  finish(): void {
    this.req.end(this.body.subarray(this.body.length >> 1));
  }

  abort(): void {
    this.req.destroy();
  }
}

describe('public intake: bytes in flight, the JSON limit, and cross-site posts', () => {
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(() => truncateAll(ds));

  describe('bytes in flight per client and in total', () => {
    let svc: TestService;
    const body = jsonReport(MAX - 1000);
    before(async () => {
      svc = await startTestService({
        ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-inflight`, TRUST_PROXY: 'loopback', MAX_MESSAGE_BYTES: String(MAX),
        WEBFORM_LIMIT_PER_IP: '1000', WEBFORM_LIMIT_PER_REPORTER: '1000',
        // Two large reports per client, five in all.
        PUBLIC_INFLIGHT_BYTES_PER_IP: String(2 * body.length), PUBLIC_INFLIGHT_BYTES: String(5 * body.length),
      });
    });
    after(() => svc.stop());

    it('refuses, before reading them, the large posts of one client beyond its bound (429) and beyond the total (503)', async () => {
      const held: HeldPost[] = [];
      try {
        // One client opens ten large posts at once: two are read, eight refused at once (their bodies unsent).
        const mine = Array.from({ length: 10 }, () => new HeldPost(svc, body, '198.51.100.1'));
        held.push(...mine);
        const refusedMine = await waitUntil(async () => {
          const done = mine.filter((p) => p.settled);
          return done.length >= 8 ? done : undefined;
        }, 'eight refusals');
        for (const p of refusedMine) {
          const a = await p.answer;
          expect(a.status).to.equal(429);
          expect(JSON.parse(a.body).title).to.equal('rate_limited');
        }
        // Two other clients: three more fit in the total of five; the sixth is refused with 503.
        const others = [new HeldPost(svc, body, '198.51.100.2'), new HeldPost(svc, body, '198.51.100.2'), new HeldPost(svc, body, '198.51.100.3')];
        held.push(...others);
        const late = new HeldPost(svc, body, '198.51.100.3');
        held.push(late);
        const lateAnswer = await late.answer;
        expect(lateAnswer.status).to.equal(503);
        expect(JSON.parse(lateAnswer.body).title).to.equal('overloaded');
        // The admitted ones complete normally.
        const admitted = [...mine.filter((p) => !refusedMine.includes(p)), ...others];
        expect(admitted).to.have.length(5);
        for (const p of admitted) p.finish();
        const statuses = await Promise.all(admitted.map(async (p) => (await p.answer).status));
        expect(statuses).to.deep.equal([202, 202, 202, 202, 202]);
        expect((await ds.query(`SELECT count(*)::int AS n FROM submissions`))[0].n).to.equal(5);
        // Their bytes are given back: the same client can send again.
        const again = new HeldPost(svc, body, '198.51.100.1');
        held.push(again);
        again.finish();
        expect((await again.answer).status).to.equal(202);
      } finally {
        for (const p of held) p.abort();
      }
    });

    it('gives the bytes of an abandoned upload back', async () => {
      const gone = [new HeldPost(svc, body, '198.51.100.9'), new HeldPost(svc, body, '198.51.100.9')];
      for (const p of gone) p.abort();
      const next = await waitUntil(async () => {
        const p = new HeldPost(svc, body, '198.51.100.9');
        p.finish();
        const a = await p.answer;
        return a.status === 202 ? a : undefined;
      }, 'the abandoned bytes to be released');
      expect(next.status).to.equal(202);
    });

    it('answers 411 to a public post without Content-Length', async () => {
      const res = await fetch(`${svc.url}/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('{}')), c.close()) }),
        duplex: 'half',
      } as RequestInit);
      expect(res.status).to.equal(411);
    });
  });

  describe('bytes in flight on the raw intake (POST /v1/intake/email)', () => {
    let svc: TestService;
    let key: string;
    const raw = Buffer.concat([Buffer.from(HEADERS_ONLY + '\r\n'), Buffer.alloc(60_000, 'a')]);
    before(async () => {
      svc = await startTestService({ ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-intake-inflight`, MAX_MESSAGE_BYTES: String(MAX), INTAKE_INFLIGHT_BYTES: String(2.5 * MAX) });
    });
    beforeEach(async () => {
      key = await bearer(ds, 'intake'); // after the outer beforeEach emptied the tables
    });
    after(() => svc.stop());

    it('holds at most INTAKE_INFLIGHT_BYTES of bodies: past it 503 (overloaded) before reading, a chunked post reserves MAX_MESSAGE_BYTES, and the bytes come back', async () => {
      const held: HeldPost[] = [];
      const post = (chunked = false) => {
        const headers: Record<string, string | number> = { 'content-type': 'message/rfc822', authorization: key };
        if (chunked) headers['transfer-encoding'] = 'chunked';
        else headers['content-length'] = raw.length;
        const p = new HeldPost(svc, raw, '127.0.0.1', { path: '/v1/intake/email', headers });
        held.push(p);
        return p;
      };
      try {
        // A chunked upload reserves MAX (100,000), two sized ones ~60,100 each: 250,000 holds the three…
        const first = [post(true), post(), post()];
        await new Promise((r) => setTimeout(r, 200));
        expect(first.some((p) => p.settled)).to.equal(false);
        // …and not a fourth (~280,400): refused at once, its body unsent.
        const late = post();
        const refused = await late.answer;
        expect(refused.status).to.equal(503);
        expect(JSON.parse(refused.body).title).to.equal('overloaded');
        for (const p of first) p.finish();
        expect(await Promise.all(first.map(async (p) => (await p.answer).status))).to.deep.equal([202, 202, 202]);
        // Answered: their bytes are back.
        const again = post();
        again.finish();
        expect((await again.answer).status).to.equal(202);
      } finally {
        for (const p of held) p.abort();
      }
    });
  });

  describe('the JSON form carries exactly a MAX_MESSAGE_BYTES message', () => {
    let svc: TestService;
    before(async () => {
      svc = await startTestService({
        ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-jsonlimit`, MAX_MESSAGE_BYTES: String(MAX), WEBFORM_LIMIT_PER_IP: '1000', WEBFORM_LIMIT_PER_REPORTER: '1000',
      });
    });
    after(() => svc.stop());

    const post = (body: Buffer) => fetch(`${svc.url}/v1/reports`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'application/json' } });

    it('accepts a message of MAX_MESSAGE_BYTES as base64, and refuses a body larger than that form needs (413)', async () => {
      expect((await post(jsonReport(MAX))).status).to.equal(202);
      const room = 4 * Math.ceil(MAX / 3) + 64 * 1024;
      const padded = Buffer.from(JSON.stringify({ email: 'r@example.org', category: 'spam', message: HEADERS_ONLY, description: ' '.repeat(room) }));
      const res = await post(padded);
      expect(res.status).to.equal(413);
      expect(((await res.json()) as { title: string }).title).to.equal('payload_too_large');
    });
  });

  describe('cross-site posts to POST /v1/reports', () => {
    let svc: TestService;
    before(async () => {
      svc = await startTestService({ ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-xsite`, WEBFORM_LIMIT_PER_IP: '1000', WEBFORM_LIMIT_PER_REPORTER: '1000' });
    });
    after(() => svc.stop());

    const count = async () => (await ds.query(`SELECT count(*)::int AS n FROM submissions`))[0].n as number;

    it('refuses a multipart post without the form token and cookie, as another site would send it (403)', async () => {
      const res = await fetch(`${svc.url}/v1/reports`, {
        method: 'POST',
        body: reportForm({ email: 'victim@example.org', category: 'spam', source: HEADERS_ONLY }),
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      });
      expect(res.status).to.equal(403);
      expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(((await res.json()) as { title: string }).title).to.equal('forbidden');
      expect(await count()).to.equal(0);
    });

    it('refuses a multipart post with the cookie but a forged token (403)', async () => {
      const client = new FormClient(svc.url);
      await client.open();
      const res = await fetch(`${svc.url}/v1/reports`, {
        method: 'POST',
        body: reportForm({ _csrf: 'forged', email: 'victim@example.org', category: 'spam', source: HEADERS_ONLY }),
        headers: { cookie: client.cookieHeader },
      });
      expect(res.status).to.equal(403);
      expect(await count()).to.equal(0);
    });

    it('refuses urlencoded and text/plain (the other forms a page can post) with 415', async () => {
      for (const [type, body] of [['application/x-www-form-urlencoded', `email=v%40example.org&category=spam&source=${encodeURIComponent(HEADERS_ONLY)}`], ['text/plain', '{"email":"v@example.org"}']]) {
        const res = await fetch(`${svc.url}/v1/reports`, { method: 'POST', body, headers: { 'content-type': type! } });
        expect(res.status, type).to.equal(415);
      }
      expect(await count()).to.equal(0);
    });

    it('accepts JSON (a cross-site page cannot send it without a CORS preflight we never grant)', async () => {
      const res = await fetch(`${svc.url}/v1/reports`, {
        method: 'POST',
        body: JSON.stringify({ email: 'button@example.org', category: 'spam', message: HEADERS_ONLY }),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).to.equal(202);
      const pre = await fetch(`${svc.url}/v1/reports`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(pre.headers.get('access-control-allow-origin')).to.equal(null);
      expect(await count()).to.equal(1);
    });
  });
});
