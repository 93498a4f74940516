import { expect } from 'chai';
import http from 'node:http';
import { bearer, useTestService } from '../helpers/service.ts';
import { waitUntil } from '../helpers/db.ts';

/**
 * The pipeline invariant behind issue 12.1: a report's `received_at` is its submission's, to the
 * millisecond, in the database and in the API. Thousands of submissions are accepted through the
 * real HTTP intake over several seconds, so the group commit stamps them with many different
 * instants (each batch gets its own), and the worker carries each one to its report. The worker
 * once read them through node-postgres' binary mode, which altered about half of them.
 */
const TOTAL = 2000;
const SPREAD_MS = 4000;
const CONCURRENCY = 16;

// One small spam per submission; the Message-ID makes each raw message distinct (no dedup shortcut).
const message = (n: number) => Buffer.from([
  'Received: from mail.bulk.example (mail.bulk.example [198.51.100.77])',
  '\tby mx.customer.example with ESMTP id T1; Thu, 26 Nov 2026 10:00:00 +0000',
  'From: offers@bulk.example', 'To: pat@customer.example', `Subject: time check ${n}`,
  `Message-ID: <times-${n}@bulk.example>`, 'Date: Thu, 26 Nov 2026 10:00:00 +0000', '', 'buy now', '',
].join('\r\n'));

describe('report times through the pipeline (issue 12.1)', function () {
  this.timeout(180_000);
  const t = useTestService({ ROLES: 'api,worker', WORKER_CONCURRENCY: '8' });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  after(() => agent.destroy());

  function post(url: URL, key: string, body: Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'message/rfc822', 'content-length': body.length, authorization: key } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 202) return reject(new Error(`intake answered ${res.statusCode}: ${text}`));
          resolve((JSON.parse(text) as { id: string }).id);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('gives every report its submission\'s received_at, to the millisecond, in Postgres and in the API', async () => {
    const intake = await bearer(t.ds, 'intake');
    const analyst = await bearer(t.ds, 'analyst');
    const url = new URL('/v1/intake/email', t.svc.url);

    // Paced so the load lasts SPREAD_MS: message n is not sent before start + n·SPREAD_MS/TOTAL.
    const start = Date.now();
    let next = 0;
    const ids: string[] = [];
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        const n = next++;
        const due = start + (n * SPREAD_MS) / TOTAL;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        ids.push(await post(url, intake, message(n)));
      }
    }));
    expect(ids).to.have.length(TOTAL);

    await waitUntil(async () => {
      const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM submissions WHERE status = 'processed'`);
      return n === TOTAL ? true : undefined;
    }, `${TOTAL} submissions to be processed`, 150_000);

    // The load really spread over many instants (else the test would prove little).
    const [spread] = await t.ds.query(
      `SELECT count(DISTINCT received_at)::int AS instants,
              (extract(epoch FROM max(received_at) - min(received_at)) * 1000)::int AS span_ms FROM submissions`,
    );
    expect(spread.instants, 'distinct intake instants').to.be.greaterThan(50);
    expect(spread.span_ms, 'intake span (ms)').to.be.at.least(SPREAD_MS * 0.75);

    // Postgres: exact equality (microseconds), every report.
    const rows: { id: string; submission_id: string; s_ms: string; r_ms: string }[] = await t.ds.query(
      `SELECT r.id, r.submission_id, to_char(s.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS s_ms,
              to_char(r.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS r_ms
         FROM reports r JOIN submissions s ON s.id = r.submission_id`,
    );
    expect(rows).to.have.length(TOTAL);
    const [{ differ }] = await t.ds.query(`SELECT count(*)::int AS differ FROM reports r JOIN submissions s ON s.id = r.submission_id WHERE r.received_at <> s.received_at`);
    expect(differ, 'reports whose received_at differs from their submission\'s in Postgres').to.equal(0);
    const expected = new Map(rows.map((r) => [r.submission_id, r.s_ms]));
    const byReport = new Map(rows.map((r) => [r.id, r.s_ms]));

    // GET /v1/reports, every page: each report's receivedAt is its submission's instant.
    const listed = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const q: string = `/v1/reports?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await fetch(new URL(q, t.svc.url), { headers: { authorization: analyst } });
      expect(res.status).to.equal(200);
      const page = (await res.json()) as { items: { id: string; receivedAt: string }[]; nextCursor: string | null };
      for (const item of page.items) listed.set(item.id, item.receivedAt);
      cursor = page.nextCursor;
    } while (cursor);
    expect(listed.size).to.equal(TOTAL);
    const listMismatches = [...listed].filter(([id, at]) => byReport.get(id) !== at);
    expect(listMismatches, 'GET /v1/reports receivedAt ≠ submission').to.deep.equal([]);

    // GET /v1/submissions/:id for every submission: the submission and its report agree.
    let i = 0;
    const mismatches: string[] = [];
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (i < ids.length) {
        const id = ids[i++]!;
        const res = await fetch(new URL(`/v1/submissions/${id}`, t.svc.url), { headers: { authorization: analyst } });
        const body = (await res.json()) as { receivedAt: string; reports: { receivedAt: string }[] };
        if (body.receivedAt !== expected.get(id) || body.reports.length !== 1 || body.reports[0]!.receivedAt !== body.receivedAt) {
          mismatches.push(`${id}: submission ${body.receivedAt}, report ${body.reports[0]?.receivedAt}, db ${expected.get(id)}`);
        }
      }
    }));
    expect(mismatches, 'GET /v1/submissions/:id').to.deep.equal([]);
  });
});
