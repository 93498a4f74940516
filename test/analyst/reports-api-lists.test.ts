import { expect } from 'chai';
import { bearer, useTestService } from '../helpers/service.ts';
import { hoursAgo, seedMany, seedReport } from './seed-reports.ts';

interface Item { id: string; subject: string; channel: string; submissionId: string; category: string | null; description: string | null }
interface ListPage { items: Item[]; nextCursor: string | null; prevCursor: string | null; total?: { count: number; more: boolean } | null }

/** Issue 14, items 10 and 11 in the JSON API: channel filter, category and description, totals, both directions of keyset paging. */
describe('analyst API: GET /v1/reports channel, totals, previous pages', () => {
  const t = useTestService({ ROLES: 'api' });
  let analyst: string;
  beforeEach(async () => {
    analyst = await bearer(t.ds, 'analyst');
  });

  const get = async (qs: string, status = 200) => {
    const res = await fetch(`${t.svc.url}/v1/reports?${qs}`, { headers: { authorization: analyst } });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).to.equal(status);
    return body as ListPage & { details?: { problems: { field: string }[] } };
  };

  it('filters by each channel and refuses one that does not exist, naming the parameter', async () => {
    const ids: Record<string, string> = {};
    for (const c of ['http', 'smtp', 'webform', 'api']) ids[c] = await seedReport(t.ds, { channel: c, subject: c });
    for (const c of ['http', 'smtp', 'webform', 'api']) expect((await get(`channel=${c}`)).items.map((i) => i.id)).to.deep.equal([ids[c]]);
    const bad = await get('channel=form', 400);
    expect(bad.details!.problems.map((p) => p.field)).to.deep.equal(['channel']);
  });

  it('carries the submission\'s category and description, equal to what Postgres holds', async () => {
    const id = await seedReport(t.ds, { channel: 'webform', category: 'scam', description: 'line 1\n<b>line 2</b> ⟨bidi‮⟩' });
    const [item] = (await get('channel=webform')).items;
    const [row] = await t.ds.query(`SELECT s.id, s.category, s.description FROM reports r JOIN submissions s ON s.id = r.submission_id WHERE r.id = $1`, [id]);
    expect({ submissionId: item!.submissionId, category: item!.category, description: item!.description }).to.deep.equal({ submissionId: row.id, category: row.category, description: row.description });
    const plain = await seedReport(t.ds, { channel: 'smtp' });
    const other = (await get('channel=smtp')).items.find((i) => i.id === plain)!;
    expect([other.category, other.description]).to.deep.equal([null, null]);
  });

  it('count=true answers the total, exact up to 10,000, then more', async () => {
    await seedReport(t.ds, { channel: 'api' });
    await seedReport(t.ds, { channel: 'api' });
    expect((await get('channel=api&count=true')).total).to.deep.equal({ count: 2, more: false });
    expect((await get('channel=api')).total).to.equal(undefined);
    // An IP filter is counted another way (a bitmap over both IP indexes): relay or originating, each once.
    await seedReport(t.ds, { channel: 'api', relayIp: '203.0.113.9', originatingIp: '203.0.113.9' });
    await seedReport(t.ds, { channel: 'api', relayIp: '40.107.0.1', originatingIp: '203.0.113.9' });
    await seedReport(t.ds, { channel: 'api', relayIp: '203.0.113.9', originatingIp: null });
    expect((await get('ip=203.0.113.9&count=true')).total).to.deep.equal({ count: 3, more: false });
    expect((await get('cidr=203.0.113.0/24&channel=api&count=true')).total).to.deep.equal({ count: 3, more: false });
    expect((await get('tenant=nobody&count=true')).total).to.deep.equal({ count: 0, more: false });
    await seedMany(t.ds, 10_001, { channel: 'smtp' });
    expect((await get('channel=smtp&count=true&limit=1')).total).to.deep.equal({ count: 10_000, more: true });
  });

  it('prevCursor / before walk back exactly the pages cursor walked forward', async () => {
    for (let i = 0; i < 7; i++) await seedReport(t.ds, { subject: `s${i}`, receivedAt: hoursAgo(i + 1) });
    const pages: ListPage[] = [await get('limit=3')];
    expect(pages[0]!.prevCursor).to.equal(null);
    while (pages[pages.length - 1]!.nextCursor) pages.push(await get(`limit=3&cursor=${pages[pages.length - 1]!.nextCursor}`));
    expect(pages.map((p) => p.items.map((i) => i.subject))).to.deep.equal([['s0', 's1', 's2'], ['s3', 's4', 's5'], ['s6']]);
    const back = await get(`limit=3&before=${pages[2]!.prevCursor}`);
    expect(back.items.map((i) => i.subject)).to.deep.equal(['s3', 's4', 's5']);
    const first = await get(`limit=3&before=${back.prevCursor}`);
    expect(first.items.map((i) => i.subject)).to.deep.equal(['s0', 's1', 's2']);
    expect(first.prevCursor, 'nothing newer than the first page').to.equal(null);
    const both = await get(`limit=3&cursor=${pages[0]!.nextCursor}&before=${pages[2]!.prevCursor}`, 400);
    expect(both.details!.problems.map((p) => p.field)).to.deep.equal(['before']);
    expect((await get(`before=${Buffer.from('2026-01-01T00:00:00.000000Z|nope').toString('base64url')}`, 400)).details!.problems.map((p) => p.field)).to.deep.equal(['before']);
  });
});
