import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { bearer, startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitForSubmission } from '../helpers/db.ts';
import { campaignSpam } from './campaign-mail.ts';

interface Summary {
  id: string;
  status: string;
  reports: number;
  reporters: Record<string, number>;
  relayIps: { value: string; reports: number }[];
  urlDomains: { value: string; reports: number }[];
  mergedInto: string | null;
}

/**
 * The campaign API end to end: spam posted to the real intake, assigned by the real worker, read back
 * through the API and compared with what Postgres holds (the boundary, both ends).
 */
describe('campaigns API', function () {
  this.timeout(60_000);
  let svc: TestService;
  let ds: DataSource;
  let analyst: string;
  const subs: Record<string, string[]> = { a: [], b: [] };
  let campaignA: string;
  let campaignB: string;

  before(async () => {
    svc = await startTestService({ ROLES: 'api,worker' });
    ds = await testDataSource();
    await truncateAll(ds);
    analyst = await bearer(ds, 'analyst');
    const intake = await bearer(ds, 'intake');
    const post = async (raw: Buffer) => {
      const res = await fetch(`${svc.url}/v1/intake/email`, { method: 'POST', body: new Uint8Array(raw), headers: { 'content-type': 'message/rfc822', authorization: intake } });
      const { id } = (await res.json()) as { id: string };
      expect((await waitForSubmission(ds, id)).status).to.equal('processed');
      return id;
    };
    for (let i = 0; i < 3; i++) subs.a!.push(await post(campaignSpam(11, i)));
    subs.b!.push(await post(campaignSpam(12, 5)));
    const row = async (s: string) => (await ds.query(`SELECT campaign_id::text AS c FROM reports WHERE submission_id = $1`, [s]))[0].c as string;
    campaignA = await row(subs.a![0]!);
    campaignB = await row(subs.b![0]!);
  });
  after(async () => {
    await svc?.stop();
    await ds?.destroy();
  });

  const get = async (path: string, status = 200) => {
    const res = await fetch(`${svc.url}${path}`, { headers: { authorization: analyst } });
    expect(res.status, await res.clone().text()).to.equal(status);
    return res.json();
  };
  const post = async (path: string, body: unknown, status = 200) => {
    const res = await fetch(`${svc.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { authorization: analyst, 'content-type': 'application/json' } });
    expect(res.status, await res.clone().text()).to.equal(status);
    return res.json();
  };

  it('puts campaignId on the submission, the report, the list and the export, as stored', async () => {
    expect(campaignA).to.match(/^\d+$/);
    expect(campaignB).to.not.equal(campaignA);
    const sub = (await get(`/v1/submissions/${subs.a![1]}`)) as { reports: { id: string; campaignId: string }[] };
    expect(sub.reports[0]!.campaignId).to.equal(campaignA);
    const report = (await get(`/v1/reports/${sub.reports[0]!.id}`)) as { campaignId: string };
    expect(report.campaignId).to.equal(campaignA);
    const list = (await get(`/v1/reports?campaign=${campaignA}`)) as { items: { campaignId: string }[] };
    expect(list.items).to.have.length(3);
    expect(list.items.every((i) => i.campaignId === campaignA)).to.equal(true);
    const csv = await (await fetch(`${svc.url}/v1/reports/export?format=csv&campaign=${campaignB}`, { headers: { authorization: analyst } })).text();
    const [header, line] = csv.trim().split('\r\n');
    expect(header!.split(',')).to.include('campaignId');
    expect(line).to.contain(`"${campaignB}"`);
  });

  it('lists campaigns with counts and facets equal to the stored rows, sorted and paged', async () => {
    const page = (await get('/v1/campaigns?sort=reports')) as { items: Summary[] };
    const a = page.items[0]!;
    const [stored] = await ds.query(`SELECT reports, reporters_anonymous, reporters FROM campaigns WHERE id = $1`, [campaignA]);
    expect(a.id).to.equal(campaignA);
    expect(a.reports).to.equal(stored.reports).and.equal(3);
    expect(a.reporters.anonymous).to.equal(stored.reporters_anonymous);
    expect(a.reporters.total).to.equal(stored.reporters);
    expect(a.relayIps.map((f) => f.value)).to.have.members(['203.0.113.1', '203.0.113.2', '203.0.113.3']);
    expect(a.urlDomains).to.deep.equal([{ value: 'promo11-deals.com', reports: 3 }]);
    // Postgres → API: first and last seen are the campaign's earliest and latest report times, to the millisecond.
    const [span] = await ds.query(`SELECT min(received_at) AS first, max(received_at) AS last FROM reports WHERE campaign_id = $1`, [campaignA]);
    const shown = a as unknown as { firstSeen: string; lastSeen: string };
    expect([shown.firstSeen, shown.lastSeen]).to.deep.equal([(span.first as Date).toISOString(), (span.last as Date).toISOString()]);
    const first = (await get('/v1/campaigns?sort=reports&limit=1')) as { items: Summary[]; nextCursor: string };
    const second = (await get(`/v1/campaigns?sort=reports&limit=1&cursor=${first.nextCursor}`)) as { items: Summary[]; nextCursor: string | null };
    expect([first.items[0]!.id, second.items[0]!.id]).to.deep.equal([campaignA, campaignB]);
    expect(second.nextCursor).to.equal(null);
  });

  it('filters campaigns by IP, URL domain, time and triage status', async () => {
    const ids = async (qs: string) => ((await get(`/v1/campaigns?${qs}`)) as { items: Summary[] }).items.map((i) => i.id);
    expect(await ids('ip=203.0.113.2')).to.deep.equal([campaignA]);
    expect(await ids('domain=promo12-deals.com')).to.deep.equal([campaignB]);
    expect(await ids(`since=${new Date(Date.now() + 3_600_000).toISOString()}`)).to.deep.equal([]);
    expect(await ids('status=new')).to.have.members([campaignA, campaignB]);
    expect(await ids('status=investigating')).to.deep.equal([]);
  });

  it('answers 400 naming the parameter for a bad sort or cursor', async () => {
    const bad = (await get('/v1/campaigns?sort=bogus', 400)) as { details: { problems: { field: string }[] } };
    expect(bad.details.problems[0]!.field).to.equal('sort');
    const cursor = (await get('/v1/campaigns?cursor=abc', 400)) as { details: { problems: { field: string }[] } };
    expect(cursor.details.problems[0]!.field).to.equal('cursor');
  });

  it('shows one campaign with a time series that adds up to its reports', async () => {
    const d = (await get(`/v1/campaigns/${campaignA}`)) as Summary & { series: { points: [string, number][] }; sampleSubjects: { subject: string }[]; reportsUrl: string };
    expect(d.series.points.reduce((n, p) => n + p[1], 0)).to.equal(3);
    expect(d.sampleSubjects).to.have.length(3);
    expect(d.reportsUrl).to.equal(`/v1/reports?campaign=${campaignA}`);
    await get('/v1/campaigns/999999999', 404);
  });

  it('ranks URL domains in /v1/stats/top?by=urlDomain', async () => {
    const top = (await get('/v1/stats/top?by=urlDomain&window=24h')) as { items: { key: string; count: number }[] };
    expect(top.items).to.deep.include({ key: 'promo11-deals.com', count: 3 });
    expect(top.items).to.deep.include({ key: 'promo12-deals.com', count: 1 });
  });

  it('triages a campaign new → investigating → actioned with assignee, notes and audit; refuses a skipped step', async () => {
    await post(`/v1/triage/campaign/${campaignA}`, { status: 'actioned' }, 409);
    const c = (await post(`/v1/triage/campaign/${campaignA}`, { status: 'investigating', assignee: 'ana', note: 'looks like <b>phishing</b>' })) as
      { status: string; assignee: string; notes: { text: string; author: string }[]; audit: { action: string }[] };
    expect(c.status).to.equal('investigating');
    expect(c.assignee).to.equal('ana');
    expect(c.notes[0]!.text).to.equal('looks like <b>phishing</b>');
    expect(c.notes[0]!.author).to.match(/^key:/);
    expect(c.audit.map((a) => a.action)).to.have.members(['triage', 'note']);
    await post(`/v1/triage/campaign/${campaignA}`, { status: 'actioned' });
    expect(((await get(`/v1/campaigns?status=actioned`)) as { items: Summary[] }).items.map((i) => i.id)).to.deep.equal([campaignA]);
    await post(`/v1/triage/campaign/${campaignA}`, { status: 'investigating' });
  });

  it('triages IPs and tenants too, and checks the subject', async () => {
    const ip = (await post('/v1/triage/ip/203.0.113.2', { status: 'investigating' })) as { key: string; status: string };
    expect(ip).to.include({ key: '203.0.113.2', status: 'investigating' });
    await post('/v1/triage/ip/not-an-ip', { status: 'investigating' }, 400);
    await post('/v1/triage/tenant/nobody', { status: 'investigating' }, 404);
    await post('/v1/triage/campaign/1', { bogus: 1 }, 400);
  });

  it('merges a campaign into another, then splits a report out into a campaign of its own', async () => {
    const merged = (await post(`/v1/campaigns/${campaignA}/merge`, { from: campaignB })) as Summary;
    expect(merged.reports).to.equal(4);
    expect(((await get(`/v1/campaigns/${campaignB}`)) as Summary).mergedInto).to.equal(campaignA);
    expect(((await get('/v1/campaigns')) as { items: Summary[] }).items.map((i) => i.id)).to.deep.equal([campaignA]);
    await post(`/v1/campaigns/${campaignA}/merge`, { from: campaignB }, 409);

    const [report] = await ds.query(`SELECT id FROM reports WHERE submission_id = $1`, [subs.b![0]]);
    const split = (await post(`/v1/campaigns/${campaignA}/split`, { reportId: report.id }, 201)) as Summary;
    expect(split.reports).to.equal(1);
    expect(split.urlDomains).to.deep.equal([{ value: 'promo12-deals.com', reports: 1 }]);
    const after = (await get(`/v1/campaigns/${campaignA}`)) as Summary & { triage: { audit: { action: string }[] } };
    expect(after.reports).to.equal(3);
    expect(after.urlDomains).to.deep.equal([{ value: 'promo11-deals.com', reports: 3 }]);
    expect(after.triage.audit.map((a) => a.action)).to.include.members(['merge', 'split']);
    const [moved] = await ds.query(`SELECT campaign_id::text AS c FROM reports WHERE id = $1`, [report.id]);
    expect(moved.c).to.equal(split.id);
  });
});
