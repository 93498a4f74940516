import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { pinnedPost } from '../../workers/webhooks/pinned-post.ts';
import { forbiddenRange } from '../../shared/webhooks/address-policy.ts';
import { waitForSubmission, waitUntil } from '../helpers/db.ts';
import { forwardedSpam } from '../notifications/helpers.ts';
import { api, submit, useNotifyService } from '../notifications/service-fixture.ts';

interface Received { headers: IncomingMessage['headers']; body: string; remotePort: number | undefined }

/** A real HTTP receiver on loopback; `answer` decides each response (status, headers). */
async function receiver(answer: (n: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 204 })) {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), remotePort: req.socket.remotePort });
      const a = answer(got.length);
      res.writeHead(a.status, a.headers).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { got, url: `http://127.0.0.1:${port}/hook`, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('webhooks (real HTTP receiver on loopback)', function () {
  this.timeout(60_000);
  const f = useNotifyService({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_MAX_FAILURES: '4' });

  it('creates a subscription, shows the secret once, and delivers signed events that the library verifies', async () => {
    const rx = await receiver();
    try {
      const created = await api<{ id: string; secret: string }>(f, 'POST', '/v1/webhooks', f.admin, { url: rx.url, events: ['report.processed', 'report.attributed'], description: 'soc' });
      expect(created.status).to.equal(201);
      expect(created.body.secret).to.match(/^whsec_/);
      const listed = await api<{ webhooks: Record<string, unknown>[] }>(f, 'GET', '/v1/webhooks', f.admin);
      expect(JSON.stringify(listed.body)).not.to.include(created.body.secret);
      expect((await api(f, 'GET', '/v1/webhooks', f.analyst)).status).to.equal(403); // admin only
      const id = await submit(f, forwardedSpam());
      await waitForSubmission(f.ds, id);
      await waitUntil(async () => (rx.got.length >= 2 ? true : undefined), 'two deliveries');
      const wh = new Webhook(created.body.secret);
      const bodies = rx.got.map((g) => wh.verify(g.body, g.headers as Record<string, string>) as { type: string; data: { reportId: string; tenant: string } });
      expect(bodies.map((b) => b.type)).to.deep.equal(['report.processed', 'report.attributed']); // in order
      const [report]: { id: string }[] = await f.ds.query(`SELECT id FROM reports WHERE submission_id = $1`, [id]);
      expect(bodies[0]!.data.reportId).to.equal(report!.id);
      expect(bodies[1]!.data.tenant).to.equal('contoso');
      // A tampered body fails verification.
      expect(() => wh.verify(rx.got[0]!.body.replace('contoso', 'evil'), rx.got[0]!.headers as Record<string, string>)).to.throw();
      const log = await api<{ deliveries: { status: string; lastStatus: number; webhookId: string }[] }>(f, 'GET', `/v1/webhooks/${created.body.id}/deliveries`, f.admin);
      expect(log.body.deliveries.map((d) => d.status)).to.deep.equal(['sent', 'sent']);
      expect(log.body.deliveries[0]!.webhookId).to.equal(rx.got[1]!.headers['webhook-id']);
    } finally {
      await rx.close();
    }
  });

  it('sends a test event on request; event types the subscription did not ask for are not delivered', async () => {
    const rx = await receiver();
    try {
      const created = await api<{ id: string; secret: string }>(f, 'POST', '/v1/webhooks', f.admin, { url: rx.url, events: ['listing.created'] });
      const test = await api<{ webhookId: string }>(f, 'POST', `/v1/webhooks/${created.body.id}/test`, f.admin);
      expect(test.status).to.equal(202);
      await waitUntil(async () => (rx.got.length >= 1 ? true : undefined), 'test delivery');
      const body = new Webhook(created.body.secret).verify(rx.got[0]!.body, rx.got[0]!.headers as Record<string, string>) as { type: string };
      expect(body.type).to.equal('webhook.test');
      expect(rx.got[0]!.headers['webhook-id']).to.equal(test.body.webhookId);
      // A report raises report.* events, which this subscription did not ask for: no delivery row.
      await waitForSubmission(f.ds, await submit(f, forwardedSpam()));
      expect(await f.ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries`)).to.deep.equal([{ n: 1 }]);
    } finally {
      await rx.close();
    }
  });

  it('retries a failing endpoint with backoff, keeps order, and disables it after the configured run of failures', async () => {
    let failUntil = 2;
    const rx = await receiver((n) => ({ status: n <= failUntil ? 500 : 204 }));
    try {
      const created = await api<{ id: string }>(f, 'POST', '/v1/webhooks', f.admin, { url: rx.url, events: ['report.processed'] });
      await waitForSubmission(f.ds, await submit(f, forwardedSpam()));
      await waitUntil(async () => (rx.got.length >= 3 ? true : undefined), 'third attempt');
      const ids = new Set(rx.got.map((g) => g.headers['webhook-id']));
      expect(ids.size).to.equal(1); // the same message retried
      const [d]: { status: string; attempts: number }[] = await waitUntil(async () => {
        const rows: { status: string; attempts: number }[] = await f.ds.query(`SELECT status, attempts FROM webhook_deliveries`);
        return rows[0]?.status === 'sent' ? rows : undefined;
      }, 'delivered on the third attempt');
      expect(d!.attempts).to.equal(3);
      // Now the endpoint fails for good: 3 attempts fail one delivery, the 4th failure in a row disables.
      failUntil = 1000;
      await waitForSubmission(f.ds, await submit(f, forwardedSpam({ extraBody: '\n2' })));
      await waitForSubmission(f.ds, await submit(f, forwardedSpam({ extraBody: '\n3' })));
      const sub = await waitUntil(async () => {
        const r = await api<{ enabled: boolean; disabledReason: string | null }>(f, 'GET', `/v1/webhooks/${created.body.id}`, f.admin);
        return r.body.enabled ? undefined : r.body;
      }, 'subscription disabled');
      expect(sub.disabledReason).to.match(/4 failed attempts in a row/);
      const rows: { status: string }[] = await f.ds.query(`SELECT d.status FROM webhook_deliveries d ORDER BY seq`);
      expect(rows.map((r) => r.status)).to.deep.equal(['sent', 'failed', 'queued']);
    } finally {
      await rx.close();
    }
  });

  it('drains a long queue in order, a window at a time: a failure mid-window is retried before anything behind it, and every delivery is logged', async () => {
    let calls = 0;
    const rx = await receiver(() => ({ status: ++calls === 40 ? 503 : 204 }));
    try {
      const created = await api<{ id: string }>(f, 'POST', '/v1/webhooks', f.admin, { url: rx.url, events: ['report.processed'] });
      const n = 70; // more than two windows of 32
      await f.ds.query(
        `WITH e AS (INSERT INTO webhook_events (id, type, payload)
                    SELECT gen_random_uuid(), 'report.processed', jsonb_build_object('i', i) FROM generate_series(1, $2::int) i RETURNING id, (payload->>'i')::int AS i)
         INSERT INTO webhook_deliveries (id, subscription_id, event_id) SELECT gen_random_uuid(), $1, e.id FROM e ORDER BY e.i`,
        [created.body.id, n],
      );
      await f.queues.webhooks.add('deliver', { subscriptionId: created.body.id });
      const rows = await waitUntil(async () => {
        const r: { i: number; status: string; attempts: number; last_status: number; response_ms: number | null; delivered_at: Date | null }[] = await f.ds.query(
          `SELECT (e.payload->>'i')::int AS i, d.status, d.attempts, d.last_status, d.response_ms, d.delivered_at
             FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id ORDER BY d.seq`);
        return r.every((x) => x.status === 'sent') ? r : undefined;
      }, 'all delivered');
      // The receiver saw them in order, the 40th twice in a row (503, then retried before the 41st).
      const seen = rx.got.map((g) => (JSON.parse(g.body) as { data: { i: number } }).data.i);
      expect(seen).to.deep.equal([...Array.from({ length: 40 }, (_, k) => k + 1), 40, ...Array.from({ length: n - 40 }, (_, k) => k + 41)]);
      expect(rows.map((r) => r.i)).to.deep.equal(Array.from({ length: n }, (_, k) => k + 1));
      // One kept-alive connection per drain (two drains here: before and after the retry), not one per event.
      expect(new Set(rx.got.map((g) => g.remotePort)).size).to.be.at.most(3);
      expect(rows.filter((r) => r.attempts !== 1).map((r) => [r.i, r.attempts])).to.deep.equal([[40, 2]]);
      expect(rows.every((r) => r.last_status === 204 && r.response_ms !== null && r.delivered_at !== null)).to.equal(true);
      const [sub]: { consecutive_failures: number }[] = await f.ds.query(`SELECT consecutive_failures FROM webhook_subscriptions WHERE id = $1`, [created.body.id]);
      expect(sub!.consecutive_failures).to.equal(0);
    } finally {
      await rx.close();
    }
  });

  describe('SSRF policy', () => {
    it('refuses private, loopback, link-local, CGNAT, mapped and reserved destinations by range', () => {
      for (const ip of ['10.0.0.1', '127.0.0.1', '169.254.169.254', '100.64.0.1', '::1', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '0.0.0.0', '224.0.0.1', '64:ff9b::7f00:1',
        // The IPv4-compatible form, as URL and DNS print [::127.0.0.1] and [::10.0.0.1]: ipaddr.js alone says unicast.
        new URL('http://[::127.0.0.1]/').hostname.slice(1, -1), '::a00:1', '::808:808']) {
        expect(forbiddenRange(ip), ip).to.not.equal(null);
      }
      expect(forbiddenRange('8.8.8.8')).to.equal(null);
      expect(forbiddenRange('2606:4700::1')).to.equal(null);
    });

    it('refuses a host name that resolves to 127.0.0.1 without WEBHOOK_ALLOW_PRIVATE, and never connects', async () => {
      const rx = await receiver();
      try {
        const err = await pinnedPost(`http://localhost:${rx.port}/hook`, { headers: {}, body: '{}', timeoutMs: 2000, allowPrivate: false }).then(() => null, (e: Error) => e);
        expect(err?.message).to.match(/refused: localhost resolves to .*loopback/);
        expect(rx.got).to.have.length(0);
        const ok = await pinnedPost(`http://localhost:${rx.port}/hook`, { headers: {}, body: '{}', timeoutMs: 2000, allowPrivate: true });
        expect(ok.status).to.equal(204);
      } finally {
        await rx.close();
      }
    });

    it('does not follow a redirect (to a private address or anywhere)', async () => {
      const target = await receiver();
      const rx = await receiver(() => ({ status: 302, headers: { location: `http://127.0.0.1:${target.port}/internal` } }));
      try {
        const res = await pinnedPost(rx.url, { headers: {}, body: '{}', timeoutMs: 2000, allowPrivate: true });
        expect(res.status).to.equal(302);
        expect(target.got).to.have.length(0);
      } finally {
        await rx.close();
        await target.close();
      }
    });

    it('gives up on an endpoint that does not answer within the timeout', async () => {
      const server = createServer(() => undefined); // accepts, never answers
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const port = (server.address() as { port: number }).port;
        const err = await pinnedPost(`http://127.0.0.1:${port}/`, { headers: {}, body: '{}', timeoutMs: 300, allowPrivate: true }).then(() => null, (e: Error) => e);
        expect(err?.message).to.match(/no answer within 300 ms/);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      }
    });

    it('rejects a subscription URL with credentials or another scheme, naming the field', async () => {
      const bad = await api<{ detail: string }>(f, 'POST', '/v1/webhooks', f.admin, { url: 'ftp://example.org/x', events: ['report.processed'] });
      expect(bad.status).to.equal(400);
      expect(bad.body.detail).to.match(/url/);
      expect((await api(f, 'POST', '/v1/webhooks', f.admin, { url: 'https://u:p@example.org/x', events: ['report.processed'] })).status).to.equal(400);
      expect((await api(f, 'POST', '/v1/webhooks', f.admin, { url: 'https://example.org/x', events: ['nope'] })).status).to.equal(400);
    });
  });
});
