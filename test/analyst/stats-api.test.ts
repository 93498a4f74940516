import { expect } from 'chai';
import { bearer, useTestService } from '../helpers/service.ts';
import { hoursAgo, seedReport } from './seed-reports.ts';

describe('analyst API: stats, IP and tenant profiles, OpenAPI', () => {
  const t = useTestService({ ROLES: 'api' });
  let analyst: string;

  beforeEach(async () => {
    analyst = await bearer(t.ds, 'analyst');
    // 3 reports from .7 in the last day, 1 from .8, and an old one from .8 outside 24 h but inside 7 d.
    for (const h of [1, 2, 3]) await seedReport(t.ds, { relayIp: '203.0.113.7', originatingIp: '203.0.113.7', tenant: 'contoso', from: 'a@spam.example', receivedAt: hoursAgo(h) });
    await seedReport(t.ds, { relayIp: '203.0.113.8', originatingIp: '198.51.100.9', tenant: 'fabrikam', from: 'b@junk.example', kind: 'arf', feedbackType: 'abuse', receivedAt: hoursAgo(4) });
    await seedReport(t.ds, { relayIp: '203.0.113.8', originatingIp: '198.51.100.9', receivedAt: hoursAgo(48) });
  });

  const json = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${t.svc.url}${path}`, { headers: { authorization: analyst } });
    expect(res.status, await res.clone().text()).to.equal(200);
    return (await res.json()) as T;
  };
  const status = async (path: string) => (await fetch(`${t.svc.url}${path}`, { headers: { authorization: analyst } })).status;

  describe('GET /v1/stats/top', () => {
    it('ranks relay IPs, originating IPs, tenants and domains within the window', async () => {
      type Top = { items: { key: string; count: number }[] };
      expect((await json<Top>('/v1/stats/top?by=relayIp&window=24h')).items).to.deep.equal([
        { key: '203.0.113.7', count: 3 },
        { key: '203.0.113.8', count: 1 },
      ]);
      expect((await json<Top>('/v1/stats/top?by=relayIp&window=7d')).items[1]).to.deep.equal({ key: '203.0.113.8', count: 2 });
      expect((await json<Top>('/v1/stats/top?by=originatingIp&window=7d&limit=1')).items).to.deep.equal([{ key: '203.0.113.7', count: 3 }]);
      expect((await json<Top>('/v1/stats/top?by=tenant')).items.map((i) => i.key)).to.deep.equal(['contoso', 'fabrikam']);
      expect((await json<Top>('/v1/stats/top?by=domain&window=1h')).items).to.deep.equal([]);
    });
    it('400 for an unknown dimension or window', async () => {
      expect(await status('/v1/stats/top?by=subject')).to.equal(400);
      expect(await status('/v1/stats/top?by=tenant&window=1y')).to.equal(400);
    });
  });

  describe('GET /v1/stats/timeseries', () => {
    type Series = { bucket: string; series: { key: string | null; points: [string, number][] }[] };
    it('zero-fills hourly buckets and sums to the window total', async () => {
      const s = await json<Series>('/v1/stats/timeseries?bucket=hour&window=24h');
      expect(s.series).to.have.length(1);
      expect(s.series[0]!.points).to.have.length(24);
      expect(s.series[0]!.points.reduce((n, p) => n + p[1], 0)).to.equal(4);
    });
    it('one series per top key, or for one key', async () => {
      const top = await json<Series>('/v1/stats/timeseries?by=tenant&bucket=day&window=7d');
      expect(top.series.map((x) => x.key)).to.deep.equal(['contoso', 'fabrikam']);
      const one = await json<Series>('/v1/stats/timeseries?by=relayIp&key=203.0.113.8&bucket=day&window=7d');
      expect(one.series[0]!.points.reduce((n, p) => n + p[1], 0)).to.equal(2);
      // ip: relay or originating, as the IP page charts it.
      const ip = await json<Series>('/v1/stats/timeseries?ip=198.51.100.9&bucket=day&window=7d');
      expect(ip.series[0]!.points.reduce((n, p) => n + p[1], 0)).to.equal(2);
    });
    it('400 for key without by, or a bad bucket', async () => {
      expect(await status('/v1/stats/timeseries?key=x')).to.equal(400);
      expect(await status('/v1/stats/timeseries?bucket=week')).to.equal(400);
      expect(await status('/v1/stats/timeseries?ip=198.51.100.9&by=tenant')).to.equal(400);
    });
  });

  describe('hourly rollup (report_hourly)', () => {
    const rollupTotal = async () => Number((await t.ds.query(`SELECT coalesce(sum(n), 0)::int AS n FROM report_hourly`))[0].n);
    const rowTotal = async () => Number((await t.ds.query(`SELECT count(*)::int AS n FROM reports`))[0].n);

    it('follows inserts from concurrent connections and deletes cascading from submissions', async () => {
      expect(await rollupTotal()).to.equal(5);
      await Promise.all(Array.from({ length: 12 }, (_, i) => seedReport(t.ds, { receivedAt: hoursAgo(i) })));
      expect(await rollupTotal()).to.equal(await rowTotal());
      await t.ds.query(`DELETE FROM submissions WHERE id IN (SELECT submission_id FROM reports ORDER BY received_at LIMIT 3)`);
      expect(await rollupTotal()).to.equal(14);
      expect(await rowTotal()).to.equal(14);
    });
    it('counts per UTC hour', async () => {
      const rows: { hour: Date; n: number }[] = await t.ds.query(
        `SELECT hour, sum(n)::int AS n FROM report_hourly GROUP BY hour ORDER BY hour`,
      );
      const expected: { hour: Date; n: number }[] = await t.ds.query(
        `SELECT date_trunc('hour', received_at, 'UTC') AS hour, count(*)::int AS n FROM reports GROUP BY 1 ORDER BY 1`,
      );
      expect(rows).to.deep.equal(expected);
    });
  });

  describe('GET /v1/ips/:ip and /v1/tenants/:id', () => {
    it('IP profile: counts, breakdown, recent reports, listing state', async () => {
      type P = { subject: { key: string }; reports: { last24h: number; last7d: number; breakdown: { kind: Record<string, number> }; recent: unknown[] }; listing: { listed: boolean } | null };
      const p = await json<P>('/v1/ips/203.0.113.8');
      expect(p.subject.key).to.equal('203.0.113.8');
      expect(p.reports.last24h).to.equal(1);
      expect(p.reports.last7d).to.equal(2);
      expect(p.reports.breakdown.kind).to.deep.equal({ arf: 1, direct: 1 });
      expect(p.reports.recent).to.have.length(2);
      expect(p.listing?.listed).to.equal(false);
    });
    it('IP profile shows a listing and its history from the reputation tables', async () => {
      await t.ds.query(`INSERT INTO listings (ip, listed_at, reasons) VALUES ('203.0.113.7', now(), '["score 6 ≥ 5"]')`);
      await t.ds.query(`INSERT INTO listing_history (ip, action, reason, actor, at) VALUES ('203.0.113.7', 'listed', 'score 6 ≥ 5', 'system', now())`);
      const p = await json<{ listing: { listed: boolean }; history: { action: string }[] }>('/v1/ips/203.0.113.7');
      expect(p.listing.listed).to.equal(true);
      expect(p.history.map((h) => h.action)).to.deep.equal(['listed']);
    });
    it('tenant profile, 404 for an unknown tenant, 400 for a bad IP', async () => {
      const t = await json<{ reports: { last24h: number } }>('/v1/tenants/contoso');
      expect(t.reports.last24h).to.equal(3);
      expect(await status('/v1/tenants/nobody-here')).to.equal(404);
      expect(await status('/v1/ips/not-an-ip')).to.equal(400);
    });
  });

  describe('OpenAPI', () => {
    it('serves an OpenAPI 3.1 document whose parameters come from the route schemas', async () => {
      const res = await fetch(`${t.svc.url}/openapi.json`);
      expect(res.status).to.equal(200);
      const doc = (await res.json()) as { openapi: string; paths: Record<string, { get: { parameters: { name: string; schema: { enum?: string[] } }[] } }> };
      expect(doc.openapi).to.equal('3.1.0');
      const params = doc.paths['/v1/reports']!.get.parameters;
      expect(params.map((p) => p.name)).to.include.members(['ip', 'cidr', 'tenant', 'direction', 'q', 'since', 'until', 'limit', 'cursor']);
      expect(params.find((p) => p.name === 'direction')!.schema.enum).to.deep.equal(['outbound', 'inbound', 'foreign', 'unknown']);
      expect(Object.keys(doc.paths)).to.include.members(['/v1/stats/top', '/v1/stats/timeseries', '/v1/reports/export', '/v1/ips/{ip}']);
    });
    it('renders /docs without inline script', async () => {
      const res = await fetch(`${t.svc.url}/docs`);
      expect(res.status).to.equal(200);
      const body = await res.text();
      expect(body).to.include('/v1/stats/top');
      expect(body).not.to.match(/<script(?![^>]*\bsrc=)/);
    });
  });
});
