import { expect } from 'chai';
import { bearer, useTestService } from '../helpers/service.ts';
import { hoursAgo, seedReport } from './seed-reports.ts';

describe('analyst API: GET /v1/reports, raw, export', () => {
  const t = useTestService({ ROLES: 'api' });
  let analyst: string;

  beforeEach(async () => {
    analyst = await bearer(t.ds, 'analyst');
  });

  const get = (path: string, auth = analyst) => fetch(`${t.svc.url}${path}`, { headers: { authorization: auth } });
  const list = async (qs: string) => {
    const res = await get(`/v1/reports?${qs}`);
    expect(res.status, await res.clone().text()).to.equal(200);
    return (await res.json()) as { items: { id: string; subject: string }[]; nextCursor: string | null };
  };

  describe('filters', () => {
    let ids: Record<string, string>;
    beforeEach(async () => {
      ids = {
        relay: await seedReport(t.ds, { subject: 'relay hit', relayIp: '203.0.113.7', originatingIp: '198.51.100.1', receivedAt: hoursAgo(1) }),
        orig: await seedReport(t.ds, { subject: 'orig hit', relayIp: '40.107.1.1', originatingIp: '203.0.113.7', direction: 'outbound', tenant: 'contoso', confidence: 'high', receivedAt: hoursAgo(2) }),
        net: await seedReport(t.ds, { subject: 'same net', relayIp: '203.0.113.200', originatingIp: '203.0.113.200', kind: 'arf', feedbackType: 'abuse', channel: 'smtp', receivedAt: hoursAgo(30) }),
        v6: await seedReport(t.ds, { subject: 'ipv6 Lottery WINNER', relayIp: '2001:db8::5', originatingIp: '2001:db8::5', from: 'lotto@prize.example', messageId: '<abc-123@prize.example>', receivedAt: hoursAgo(50) }),
      };
    });

    it('ip matches the relay or the originating address', async () => {
      const { items } = await list('ip=203.0.113.7');
      expect(items.map((i) => i.id)).to.deep.equal([ids.relay, ids.orig]);
    });
    it('cidr matches addresses inside the network, IPv4 and IPv6', async () => {
      expect((await list('cidr=203.0.113.0/24')).items.map((i) => i.id)).to.deep.equal([ids.relay, ids.orig, ids.net]);
      expect((await list(`cidr=${encodeURIComponent('2001:db8::/32')}`)).items.map((i) => i.id)).to.deep.equal([ids.v6]);
    });
    it('tenant, direction, confidence, kind, feedbackType, channel', async () => {
      expect((await list('tenant=contoso')).items.map((i) => i.id)).to.deep.equal([ids.orig]);
      expect((await list('direction=outbound&confidence=high')).items.map((i) => i.id)).to.deep.equal([ids.orig]);
      expect((await list('kind=arf&feedbackType=abuse&channel=smtp')).items.map((i) => i.id)).to.deep.equal([ids.net]);
    });
    it('since and until bound the received time', async () => {
      const since = hoursAgo(40).toISOString();
      const until = hoursAgo(1.5).toISOString();
      expect((await list(`since=${since}&until=${until}`)).items.map((i) => i.id)).to.deep.equal([ids.orig, ids.net]);
    });
    it('q searches subject, From and Message-ID, case-insensitively, treating % and _ literally', async () => {
      expect((await list('q=lottery')).items.map((i) => i.id)).to.deep.equal([ids.v6]);
      expect((await list('q=prize.example')).items.map((i) => i.id)).to.deep.equal([ids.v6]);
      expect((await list('q=abc-123')).items.map((i) => i.id)).to.deep.equal([ids.v6]);
      expect((await list('q=%25%25%25')).items).to.deep.equal([]);
    });
  });

  describe('paging', () => {
    it('walks every report once, newest first, with same-timestamp ties broken by id', async () => {
      const same = hoursAgo(3);
      const seeded = [];
      for (let i = 0; i < 7; i++) seeded.push(await seedReport(t.ds, { receivedAt: i < 4 ? same : hoursAgo(i) }));
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { items: { id: string }[]; nextCursor: string | null } = await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).to.equal(3);
      expect(seen).to.have.members(seeded);
      expect(new Set(seen).size).to.equal(7);
      const rows: { id: string }[] = await t.ds.query(`SELECT id FROM reports ORDER BY received_at DESC, id DESC`);
      expect(seen).to.deep.equal(rows.map((r) => r.id));
    });
  });

  describe('validation', () => {
    const bad = async (qs: string, field: string) => {
      const res = await get(`/v1/reports?${qs}`);
      expect(res.status).to.equal(400);
      expect(res.headers.get('content-type')).to.match(/problem\+json/);
      const body = (await res.json()) as { title: string; details: { problems: { field: string }[] } };
      expect(body.title).to.equal('validation_failed');
      expect(body.details.problems.map((p) => p.field)).to.include(field);
    };
    it('rejects a bad ip, cidr, enum, date, limit, short q and a forged cursor', async () => {
      await bad('ip=999.1.1.1', 'ip');
      await bad('cidr=203.0.113.0/33', 'cidr');
      await bad('direction=sideways', 'direction');
      await bad('since=yesterday', 'since');
      await bad('limit=500', 'limit');
      await bad('q=ab', 'q');
      await bad(`cursor=${Buffer.from("x' OR 1=1").toString('base64url')}`, 'cursor');
    });
  });

  describe('GET /v1/reports/:id/raw', () => {
    it('downloads the original as message/rfc822 attachment with nosniff', async () => {
      const raw = Buffer.from('Subject: <script>alert(1)</script>\r\n\r\n<html><script>alert(2)</script></html>\r\n');
      const id = await seedReport(t.ds, { raw });
      const res = await get(`/v1/reports/${id}/raw`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^message\/rfc822/);
      expect(res.headers.get('content-disposition')).to.match(/^attachment; filename="?report-[0-9a-f-]+\.eml"?$/);
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(Buffer.from(await res.arrayBuffer()).equals(raw)).to.equal(true);
    });
    it('404 for an unknown report, 400 for a malformed id', async () => {
      expect((await get('/v1/reports/6f1c2d4e-0000-4000-8000-000000000000/raw')).status).to.equal(404);
      expect((await get('/v1/reports/nope/raw')).status).to.equal(400);
    });
  });

  describe('GET /v1/reports/export', () => {
    it('streams CSV with formula-looking cells defused and quotes escaped', async () => {
      await seedReport(t.ds, { subject: '=HYPERLINK("http://evil.example","click")', from: '@evil@x.example', receivedAt: hoursAgo(1) });
      await seedReport(t.ds, { subject: 'plain "quoted" subject', receivedAt: hoursAgo(2) });
      const res = await get('/v1/reports/export?format=csv');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/csv/);
      expect(res.headers.get('content-disposition')).to.match(/attachment; filename="?reports-.*\.csv"?$/);
      const lines = (await res.text()).trim().split('\r\n');
      expect(lines).to.have.length(3);
      expect(lines[0]).to.match(/^id,receivedAt,/);
      expect(lines[1]).to.include(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
      expect(lines[1]).to.include(`"'@evil@x.example"`);
      expect(lines[2]).to.include('"plain ""quoted"" subject"');
    });
    it('streams NDJSON of every matching report across cursor batches', async () => {
      // 2,500 rows: more than two FETCH batches of 1,000.
      await t.ds.query(
        `INSERT INTO raw_messages (sha256, content, size_bytes) VALUES (repeat('a', 64), 'x', 1)`,
      );
      await t.ds.query(
        `INSERT INTO submissions (id, channel, received_at, raw_sha256, size_bytes, status)
         SELECT gen_random_uuid(), 'http', now() - (g || ' seconds')::interval, repeat('a', 64), 1, 'processed' FROM generate_series(1, 2500) g`,
      );
      await t.ds.query(
        `INSERT INTO reports (id, submission_id, idx, received_at, channel, kind, subject, received_chain, tenant_id)
         SELECT gen_random_uuid(), id, 0, received_at, 'http', 'direct', 'bulk', '[]', CASE WHEN random() < 2 THEN 'fabrikam' END FROM submissions`,
      );
      const res = await get('/v1/reports/export?format=ndjson&tenant=fabrikam');
      expect(res.headers.get('content-type')).to.match(/^application\/x-ndjson/);
      const rows = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { tenant: string; receivedAt: string });
      expect(rows).to.have.length(2500);
      expect(rows.every((r) => r.tenant === 'fabrikam')).to.equal(true);
      expect(rows[0]!.receivedAt >= rows[2499]!.receivedAt).to.equal(true);
    });
    it('rejects an unknown format', async () => {
      expect((await get('/v1/reports/export?format=xlsx')).status).to.equal(400);
    });
  });
});
