import { expect } from 'chai';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { bearer } from '../helpers/service.ts';
import { createUser } from '../../shared/users/users.ts';
import { buildApp } from '../analyst/build-app.ts';
import { walkRoutes, type RouteEntry } from '../analyst/route-walk.ts';
import { Browserless } from '../analyst/ui-login.ts';
import { ENDPOINTS } from '../../api/openapi/registry.ts';
import { reportListQuery } from '../../api/analyst/schemas.ts';

/**
 * Issue 12, item 13: every route, walked from the real app's router stack, gets hostile path
 * parameters and query strings. None may answer 5xx; the JSON API answers problem+json 400 naming the
 * parameter, the UI an HTML 400; and nothing a caller sent reaches the log (no bind parameters).
 */
const MARK = 'zqxhostile';
const HOSTILE = [
  `\u0000${MARK}`,
  `${MARK}\u0000`,
  `${MARK}${'a'.repeat(3000)}`,
  `fe80::1%${MARK}eth0`,
  `fe80::1%eth0`,
  `${MARK}-not-a-uuid`,
  '------------------------------------',
  `${MARK}\u202e\u0007`,
  `../../${MARK}`,
  `0000-01-01T00:00:00Z`,
  `2026-02-31T00:00:00Z`,
  `1e309`,
];
/** Values that must be refused wherever a parameter is a name, a key or a number: NUL, a zone id, an array. */
const MUST_REFUSE = new Set([`\u0000${MARK}`, `${MARK}\u0000`, `${MARK}${'a'.repeat(3000)}`, `fe80::1%${MARK}eth0`]);
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const BAD_CURSORS = [
  b64('9999-99-99T99:99:99.000000Z|------------------------------------'),
  b64('2026-02-31T00:00:00.000000Z|6f1c2d4e-0000-4000-8000-000000000000'),
  b64('0000-01-01T00:00:00.000000Z|6f1c2d4e-0000-4000-8000-000000000000'),
  b64(JSON.stringify({ at: '2026-13-45 99:00:00+00', id: '6f1c2d4e-0000-4000-8000-000000000000' })),
  b64(JSON.stringify({ at: '0000-01-01 00:00:00+00', id: '------------------------------------' })),
  `${MARK}!!`,
];
const PLAUSIBLE: Record<string, string> = {
  ip: '203.0.113.1', id: '6f1c2d4e-0000-4000-8000-000000000000', kind: 'ip', key: '203.0.113.1', tenant: 'contoso',
};

/** What every analyst list takes besides its own filters (api/ui/list/): time range and paging. */
const LIST = ['range', 'since', 'until', 'cursor', 'before', 'page'];

/** Query parameters per route: the documented ones for the JSON API, the pages' own for HTML. */
function queryParams(r: RouteEntry): string[] {
  const doc = ENDPOINTS.find((e) => e.method.toUpperCase() === r.method && e.path === r.path);
  if (doc?.spec.query) return Object.keys(doc.spec.query.shape);
  const pages: Record<string, string[]> = {
    '/ui/reports': [...Object.keys(reportListQuery.shape), ...LIST], '/login': ['next'], '/sender/delist': ['ip'], '/sender/delist/confirm': ['token'], '/sender/ip': ['ip'],
    '/ui/listings': ['ip', 'cidr', ...LIST], '/ui/tenant-flags': ['state', 'tenant', ...LIST], '/ui/delist': ['status', 'ip', ...LIST],
    '/ui/notifications': ['status', 'tenant', 'channel', ...LIST], '/ui/audit': ['action', 'kind', 'key', 'actor', ...LIST],
    '/ui/admin/failed': ['channel', ...LIST],
  };
  return pages[r.path] ?? ['x'];
}

const paramsOf = (path: string) => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
function fill(path: string, values: Record<string, string>): string {
  return path
    .replace(/\{\/?\*[A-Za-z]+\}/g, '/x').replace(/\*[A-Za-z]*/g, 'x')
    .replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => values[name] ?? encodeURIComponent(PLAUSIBLE[name] ?? 'x'))
    .replace(/[{}]/g, '');
}

const isJsonApi = (path: string) => path.startsWith('/v1/');
const isUiPage = (path: string) => path === '/' || path.startsWith('/ui/') || path.startsWith('/dev/');

describe('hostile parameters on every route (issue 12, item 13)', function () {
  this.timeout(180_000);
  let built: Awaited<ReturnType<typeof buildApp>>;
  let ds: DataSource;
  let routes: RouteEntry[];
  const logged: string[] = [];
  let key: string;
  let ui: Browserless;

  before(async () => {
    const stream = new Writable({ write(chunk, _enc, cb) { logged.push(...String(chunk).split('\n').filter(Boolean)); cb(); } });
    built = await buildApp({ logStream: stream, logLevel: 'info', demo: true });
    ds = await testDataSource();
    await truncateAll(ds);
    routes = walkRoutes(built.app).filter((r) => !r.path.startsWith('/admin/queues/static'));
    key = await bearer(ds, 'admin');
    await createUser(ds, 'hostile-admin@example.test', 'admin', 'correct horse battery');
    ui = new Browserless(built.url);
    expect((await ui.login('hostile-admin@example.test', 'correct horse battery')).status).to.equal(303);
  });
  after(async () => {
    await built?.close();
    await ds?.destroy();
  });

  async function call(r: RouteEntry, url: string): Promise<{ status: number; type: string; body: string }> {
    const init: RequestInit = {
      method: r.method,
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', ...(isJsonApi(r.path) ? { authorization: key } : {}) },
      body: r.method === 'GET' || r.method === 'HEAD' ? undefined : JSON.stringify({ reason: `\u0000${MARK}`, decision: 'approve' }),
    };
    const res = isJsonApi(r.path) ? await fetch(`${built.url}${url}`, { ...init, redirect: 'manual' }) : await ui.fetch(url, init);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  }

  it('walks a router stack with JSON, UI and public routes (the walk itself works)', () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`);
    expect(paths).to.include.members(['GET /v1/reports', 'GET /v1/reputation/:kind/:key', 'GET /ui/ips/:ip', 'GET /dev/outbox/:id', 'GET /report/status/:id']);
  });

  it('path parameters: no 5xx; the JSON API names the parameter in a problem+json 400, the UI answers an HTML 400', async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      for (const name of paramsOf(r.path)) {
        for (const h of [...HOSTILE, '%E0%A4%A']) {
          const value = h === '%E0%A4%A' ? h : encodeURIComponent(h);
          const url = fill(r.path, { [name]: value });
          const res = await call(r, url);
          const label = `${r.method} ${r.path} ${name}=${JSON.stringify(h.slice(0, 40))} → ${res.status}`;
          if (res.status >= 500) wrong.push(`${label} ${res.body.slice(0, 200)}`);
          else if (MUST_REFUSE.has(h) && isJsonApi(r.path)) {
            if (res.status !== 400 || !res.type.startsWith('application/problem+json') || !res.body.includes(`${name}:`)) wrong.push(`${label} (want a problem+json 400 naming ${name}) ${res.body.slice(0, 160)}`);
          } else if (MUST_REFUSE.has(h) && isUiPage(r.path) && r.method === 'GET') {
            if (res.status !== 400 || !res.type.startsWith('text/html') || !res.body.includes(name)) wrong.push(`${label} (want an HTML 400 naming ${name})`);
          }
        }
      }
    }
    expect(wrong, wrong.join("\n")).to.deep.equal([]);
  });

  it('query strings: NUL, overlong, zone ids, arrays, bad cursors and bad numbers are a 400 naming the parameter, never a 5xx', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.method === 'GET')) {
      const base = fill(r.path, {});
      for (const q of queryParams(r)) {
        const values = [...HOSTILE, ...(q === 'cursor' ? BAD_CURSORS : [])];
        const tries = [...values.map((v) => [`${q}=${encodeURIComponent(v)}`, v] as const), [`${q}=${MARK}1&${q}=${MARK}2`, 'array'] as const];
        for (const [qs, v] of tries) {
          const res = await call(r, `${base}?${qs}`);
          const label = `GET ${r.path}?${qs.slice(0, 60)} → ${res.status}`;
          if (res.status >= 500) wrong.push(`${label} ${res.body.slice(0, 200)}`);
          // A documented query parameter of the JSON API; free text (q) may hold a zone id, never NUL or 3000 characters.
          const documented = isJsonApi(r.path) && q !== 'x';
          const mustRefuse = (MUST_REFUSE.has(v) && !v.startsWith('fe80')) || v === 'array' || (q === 'cursor' && BAD_CURSORS.includes(v));
          if (documented && mustRefuse && (res.status !== 400 || !res.type.startsWith('application/problem+json') || !res.body.includes(`${q}:`))) {
            wrong.push(`${label} (want a problem+json 400 naming ${q}) ${res.body.slice(0, 160)}`);
          }
        }
      }
    }
    expect(wrong, wrong.join("\n")).to.deep.equal([]);
  });

  it('logs none of it: no hostile value and no bind parameters in any log line', () => {
    const leaks = logged.filter((l) => l.includes(MARK) || l.includes('0000-01-01T00') || l.includes('"parameters"'));
    expect(leaks.map((l) => l.slice(0, 300))).to.deep.equal([]);
  });

  it('the same logger scrubs a real database error: SQL text kept, bind values and quoted values gone', async () => {
    const before = logged.length;
    const err = await ds.query(`SELECT $1::inet, $2::text`, [`fe80::1%${MARK}`, `${MARK}-secret`]).then(() => null, (e: unknown) => e);
    expect(err, 'the query must fail').to.be.instanceOf(Error);
    built.log.error({ err }, 'unhandled error');
    await new Promise((r) => setImmediate(r));
    const line = logged.slice(before).find((l) => l.includes('unhandled error'));
    expect(line, 'the line reached the captured log').to.be.a('string');
    const entry = JSON.parse(line!) as { err: Record<string, unknown> };
    expect(entry.err.query).to.equal('SELECT $1::inet, $2::text');
    expect(entry.err.code).to.equal('22P02');
    expect(line).not.to.include(MARK);
    expect(entry.err).not.to.have.property('parameters');
  });
});
