import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../shared/db/data-source.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { boundedCount, countText } from '../../api/lists/bounded-count.ts';
import { decodeKey, encodeKey, keysetPage } from '../../api/lists/keyset.ts';
import { resolveRange } from '../../api/lists/time-range.ts';
import { pageNumbers } from '../../api/ui/list/pager.ts';
import { pageRequest } from '../../api/ui/list/paging.ts';
import { excerpt } from '../../api/ui/list/excerpt.ts';
import { safeReturn } from '../../api/ui/actions/confirm-action.ts';

/** The pieces every analyst list is built from (api/lists/, api/ui/list/), on real Postgres where they query. */
describe('list building blocks', () => {
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());

  describe('boundedCount', () => {
    it('is exact up to the bound and says "more" past it', async () => {
      const from = `generate_series(1, $1::int) g WHERE g % 2 = 0`;
      expect(await boundedCount(ds, from, [10], { bound: 5 })).to.deep.equal({ count: 5, more: false });
      expect(await boundedCount(ds, from, [12], { bound: 5 })).to.deep.equal({ count: 5, more: true });
      expect(await boundedCount(ds, from, [0], { bound: 5 })).to.deep.equal({ count: 0, more: false });
    });

    it('gives up past its time budget (null), and the budget does not stay on the pooled connection', async () => {
      const one = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 1 });
      await one.initialize();
      try {
        expect(await boundedCount(one, `(SELECT pg_sleep(2)) s`, [], { budgetMs: 50 })).to.equal(null);
        const [{ statement_timeout }] = await one.query(`SHOW statement_timeout`);
        expect(statement_timeout).to.equal('0');
        // Steering the plan (and turning JIT off) is just as local to the count's transaction.
        expect(await boundedCount(one, `generate_series(1, 3) g`, [], { steer: 'bitmap' })).to.deep.equal({ count: 3, more: false });
        const settings: { name: string; setting: string }[] = await one.query(
          `SELECT name, setting FROM pg_settings WHERE name IN ('enable_seqscan', 'enable_indexscan', 'enable_indexonlyscan') ORDER BY name`,
        );
        expect(settings.map((x) => x.setting)).to.deep.equal(['on', 'on', 'on']);
      } finally {
        await one.destroy();
      }
    });

    it('reads as a person would say it', () => {
      expect(countText({ count: 1, more: false }, 'report', 'reports')).to.equal('1 report');
      expect(countText({ count: 1234, more: false }, 'report', 'reports')).to.equal('1,234 reports');
      expect(countText({ count: 10_000, more: true }, 'report', 'reports')).to.equal('more than 10,000 reports');
      expect(countText(null, 'report', 'reports')).to.equal('too many reports to count quickly');
    });
  });

  describe('keyset pages', () => {
    beforeEach(async () => {
      await truncateAll(ds);
      // Ties on the time column are broken by the id, in both directions.
      await ds.query(`INSERT INTO listings (ip, listed_at, reasons)
        SELECT ('203.0.113.' || g)::inet, timestamptz '2026-11-20 12:00:00.000001Z' - (g / 2) * interval '1 second', '[]' FROM generate_series(1, 9) g`);
    });
    const q = { select: 'host(ip) AS ip', from: 'listings', where: 'true', params: [], ts: 'listed_at', id: 'ip', idType: 'inet' as const };

    it('walks forward and back over ties, the same pages each way', async () => {
      const forward: string[][] = [];
      let page = await keysetPage<{ ip: string }>(ds, q, { limit: 4 });
      forward.push(page.rows.map((r) => r.ip));
      const cursors = [page];
      while (page.next) {
        page = await keysetPage<{ ip: string }>(ds, q, { limit: 4, after: page.next });
        forward.push(page.rows.map((r) => r.ip));
        cursors.push(page);
      }
      expect(forward.flat()).to.have.length(9);
      expect(new Set(forward.flat()).size).to.equal(9);
      const back = await keysetPage<{ ip: string }>(ds, q, { limit: 4, before: cursors[2]!.prev! });
      expect(back.rows.map((r) => r.ip)).to.deep.equal(forward[1]);
      const offset = await keysetPage<{ ip: string }>(ds, q, { limit: 4, offset: 4 });
      expect(offset.rows.map((r) => r.ip)).to.deep.equal(forward[1]);
      expect(offset.prev).to.not.equal(null);
    });

    it('refuses a cursor it did not hand out, before it reaches SQL', async () => {
      for (const bad of ['', '!!', encodeKey('2026-02-31T00:00:00.000000Z', '203.0.113.1/32'), encodeKey('2026-11-20T12:00:00.000000Z', "1'; DROP TABLE x"), Buffer.from('no bar').toString('base64url')]) {
        expect(decodeKey(bad, 'inet'), bad).to.equal(null);
      }
      expect(decodeKey(encodeKey('2026-11-20T12:00:00.000000Z', '42'), 'bigint')).to.deep.equal(['2026-11-20T12:00:00.000000Z', '42']);
      let err: unknown;
      try {
        await keysetPage(ds, q, { limit: 4, before: 'bm9wZQ' });
      } catch (e) {
        err = e;
      }
      expect((err as { code?: string }).code).to.equal('validation_failed');
    });
  });

  describe('time ranges, page numbers, paging, excerpts, return paths', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    it('resolves presets relative to now; a preset wins over since/until; nothing means all', () => {
      expect(resolveRange({ range: '24h' }, now)).to.deep.equal({ range: '24h', since: '2026-11-19T12:00:00.000Z' });
      expect(resolveRange({ range: '7d', since: '2020-01-01T00:00:00Z' }, now)).to.deep.equal({ range: '7d', since: '2026-11-13T12:00:00.000Z' });
      expect(resolveRange({ since: '2026-11-01T00:00:00Z' }, now)).to.deep.equal({ range: 'custom', since: '2026-11-01T00:00:00Z' });
      expect(resolveRange({ range: 'all', since: '2026-11-01T00:00:00Z' }, now)).to.deep.equal({ range: 'all' });
      expect(resolveRange({}, now)).to.deep.equal({ range: 'all' });
    });

    it('offers the first, the last when known, and two either side of the current page', () => {
      expect(pageNumbers(1, 3, true)).to.deep.equal([1, 2, 3]);
      expect(pageNumbers(10, 40, true)).to.deep.equal([1, null, 8, 9, 10, 11, 12, null, 40]);
      expect(pageNumbers(1, 200, false)).to.deep.equal([1, 2, 3, null]);
      expect(pageNumbers(200, 200, false)).to.deep.equal([1, null, 198, 199, 200]);
    });

    it('a page number is an offset only without a cursor, and never past the bound', () => {
      expect(pageRequest({ page: 3 }, 50)).to.deep.equal({ limit: 50, offset: 100, number: 3 });
      expect(pageRequest({ page: 9999 }, 50)).to.deep.equal({ limit: 50, offset: 9950, number: 200 });
      expect(pageRequest({ cursor: 'c', page: 9999 }, 50)).to.deep.equal({ limit: 50, after: 'c', number: 9999 });
      expect(pageRequest({ before: 'c' }, 50)).to.deep.equal({ limit: 50, before: 'c', number: null });
    });

    it('cuts long text on whole characters and folds whitespace', () => {
      expect(excerpt('a\n\n b\tc', 10)).to.deep.equal({ text: 'a b c', cut: false });
      expect(excerpt('😀'.repeat(5), 3)).to.deep.equal({ text: '😀😀😀…', cut: true });
      expect(excerpt(null)).to.deep.equal({ text: '', cut: false });
    });

    it('returns only to our own analyst pages', () => {
      expect(safeReturn('/ui/delist?status=all')).to.equal('/ui/delist?status=all');
      expect(safeReturn('/')).to.equal('/');
      for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/login', '/ui/x y', 5]) expect(safeReturn(bad), String(bad)).to.equal(null);
    });
  });
});
