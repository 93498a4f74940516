import { expect } from 'chai';
import { bearer, useTestService } from '../helpers/service.ts';
import { waitForSubmission } from '../helpers/db.ts';
import { corpusFile } from '../helpers/corpus.ts';

// 001.eml: a 2001 spam with a full Received chain and plain headers.
const SPAM = corpusFile('spam/spamassassin/001.eml');

describe('HTTP intake → queue → worker → read API', () => {
  const t = useTestService({ ROLES: 'api,worker', MAX_MESSAGE_BYTES: '65536' });
  let intakeKey: string;
  let analystKey: string;

  beforeEach(async () => {
    intakeKey = await bearer(t.ds, 'intake');
    analystKey = await bearer(t.ds, 'analyst');
  });

  const post = (body: Buffer | string, headers: Record<string, string>) =>
    fetch(`${t.svc.url}/v1/intake/email`, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers });

  it('accepts a raw message, processes it, and shows the parsed report', async () => {
    const res = await post(SPAM, { 'content-type': 'message/rfc822', authorization: intakeKey });
    expect(res.status).to.equal(202);
    const { id, status } = (await res.json()) as { id: string; status: string };
    expect(status).to.be.oneOf(['received', 'queued']);
    // The 202 came after the commit: the row is there already.
    const [row] = await t.ds.query(`SELECT status FROM submissions WHERE id = $1`, [id]);
    expect(row).to.exist;
    await waitForSubmission(t.ds, id);
    const got = await fetch(`${t.svc.url}/v1/submissions/${id}`, { headers: { authorization: analystKey } });
    expect(got.status).to.equal(200);
    const body = (await got.json()) as { status: string; reports: { subject: string; from: string; messageId: string; id: string }[] };
    expect(body.status).to.equal('processed');
    expect(body.reports).to.have.length(1);
    expect(body.reports[0]!.subject).to.equal('There yours for FREE!');
    expect(body.reports[0]!.from).to.equal('sb55sb123456789@yahoo.com');
    expect(body.reports[0]!.messageId).to.equal('<9PS291LhupY>');
    const rep = await fetch(`${t.svc.url}/v1/reports/${body.reports[0]!.id}`, { headers: { authorization: analystKey } });
    expect(rep.status).to.equal(200);
  });

  it('records the X-Reporter address on the submission', async () => {
    const res = await post(SPAM, { 'content-type': 'message/rfc822', authorization: intakeKey, 'x-reporter': 'User@Example.org' });
    const { id } = (await res.json()) as { id: string };
    const [row] = await t.ds.query(`SELECT reporter FROM submissions WHERE id = $1`, [id]);
    expect(row.reporter).to.equal('user@example.org');
  });

  it('stores identical bytes once', async () => {
    for (let i = 0; i < 2; i++) await post(SPAM, { 'content-type': 'message/rfc822', authorization: intakeKey });
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM raw_messages`);
    const [{ m }] = await t.ds.query(`SELECT count(*)::int AS m FROM submissions`);
    expect([n, m]).to.deep.equal([1, 2]);
  });

  it('returns the first submission for a repeated Idempotency-Key', async () => {
    const h = { 'content-type': 'message/rfc822', authorization: intakeKey, 'idempotency-key': 'mta-queue-4711' };
    const a = (await (await post(SPAM, h)).json()) as { id: string };
    const res = await post(SPAM, h);
    const b = (await res.json()) as { id: string; duplicate: boolean };
    expect(res.status).to.equal(202);
    expect(b.id).to.equal(a.id);
    expect(b.duplicate).to.equal(true);
  });

  describe('bad input', () => {
    const problem = async (res: Response, status: number, code: string) => {
      expect(res.status).to.equal(status);
      expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(((await res.json()) as { title: string }).title).to.equal(code);
    };
    it('415 for a wrong content type', async () => {
      await problem(await post('x', { 'content-type': 'text/plain', authorization: intakeKey }), 415, 'unsupported_media_type');
    });
    it('400 for an empty body', async () => {
      await problem(await post('', { 'content-type': 'message/rfc822', authorization: intakeKey }), 400, 'empty_body');
    });
    it('413 for a declared oversize body, before reading it', async () => {
      await problem(await post(Buffer.alloc(70_000, 'a'), { 'content-type': 'message/rfc822', authorization: intakeKey }), 413, 'payload_too_large');
    });
    it('413 for an oversize chunked body, while streaming', async () => {
      const big = new ReadableStream({
        pull(c) {
          c.enqueue(new Uint8Array(16_384).fill(97));
        },
      });
      const res = await fetch(`${t.svc.url}/v1/intake/email`, {
        method: 'POST', body: big, duplex: 'half',
        headers: { 'content-type': 'message/rfc822', authorization: intakeKey },
      } as RequestInit);
      await problem(res, 413, 'payload_too_large');
    });
    it('400 for an X-Reporter that is not one address', async () => {
      await problem(await post(SPAM, { 'content-type': 'message/rfc822', authorization: intakeKey, 'x-reporter': 'a@b, c@d' }), 400, 'validation_failed');
    });
    it('400 for an Idempotency-Key over 200 characters', async () => {
      await problem(await post(SPAM, { 'content-type': 'message/rfc822', authorization: intakeKey, 'idempotency-key': 'k'.repeat(201) }), 400, 'validation_failed');
    });
    it('401 without a key', async () => {
      await problem(await post(SPAM, { 'content-type': 'message/rfc822' }), 401, 'unauthenticated');
    });
    it('401 with an unknown key', async () => {
      await problem(await post(SPAM, { 'content-type': 'message/rfc822', authorization: 'Bearer ak_aaaaaaaaaaaa_' + 'b'.repeat(43) }), 401, 'unauthenticated');
    });
    it('403 with a key of the wrong role', async () => {
      await problem(await post(SPAM, { 'content-type': 'message/rfc822', authorization: analystKey }), 403, 'forbidden');
    });
    it('403 when an intake key reads submissions', async () => {
      await problem(await fetch(`${t.svc.url}/v1/submissions/00000000-0000-4000-8000-000000000000`, { headers: { authorization: intakeKey } }), 403, 'forbidden');
    });
    it('404 for an unknown submission, 400 for a malformed id', async () => {
      await problem(await fetch(`${t.svc.url}/v1/submissions/00000000-0000-4000-8000-000000000000`, { headers: { authorization: analystKey } }), 404, 'not_found');
      await problem(await fetch(`${t.svc.url}/v1/submissions/nope`, { headers: { authorization: analystKey } }), 400, 'validation_failed');
    });
  });
});
