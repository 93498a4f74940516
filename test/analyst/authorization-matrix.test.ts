import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { bearer } from '../helpers/service.ts';
import { createUser } from '../../shared/users/users.ts';
import { buildApp } from './build-app.ts';
import { concrete, walkRoutes, type RouteEntry } from './route-walk.ts';
import { Browserless } from './ui-login.ts';

/** Routes anyone may call. Everything else must refuse an anonymous caller. */
const PUBLIC: RegExp[] = [
  /^\/healthz$/, /^\/readyz$/, // health
  /^\/report$/, /^\/report\/status\//, // public intake form, the reporter's status page
  /^\/report\/confirm$/, /^\/reporters(\/confirm)?$/, // reporter trust: mailed-link confirmation, personal addresses (CSRF-protected forms)
  /^\/language$/, // the public pages' language switch (a cookie and a redirect back to this site)
  /^\/delist(\/|$)/, // the old delist portal URLs: permanent redirects to /sender/delist
  /^\/sender(\/|$)/, // the sender portal: why rejected, IP status, delist, policy (public, rate-limited)
  /^\/respond(\/|$)/, // tenant response page (the 256-bit token in the path is the credential)
  /^\/docs$/, /^\/openapi\.json$/, // API documentation
  /^\/static(\/|$)/, /^\/admin\/queues\/static$/, // assets (no data)
  /^\/login$/, /^\/logout$/, // sign in / out (CSRF-protected forms)
];
/** Public for one method only: the web form's JSON twin (api/webform, rate-limited, no cookies read). */
const PUBLIC_METHOD: string[] = ['POST /v1/reports'];
/** Signed-in pages: anonymous GETs are redirected to /login. */
const UI_PAGE = [/^\/$/, /^\/ui\//, /^\/admin\/queues(\/|$)/];
/** Admin only: an analyst gets 403. */
const ADMIN = [/^\/metrics$/, /^\/admin\//, /^\/ui\/admin\//, /^\/v1\/admin\//, /^\/v1\/webhooks(\/|$)/];

const is = (patterns: RegExp[], path: string) => patterns.some((p) => p.test(path));
const isPublic = (r: RouteEntry) => is(PUBLIC, r.path) || PUBLIC_METHOD.includes(`${r.method} ${r.path}`);
const label = (r: RouteEntry) => `${r.method} ${r.path}`;

describe('authorization matrix over every registered route', () => {
  let built: Awaited<ReturnType<typeof buildApp>>;
  let ds: DataSource;
  let routes: RouteEntry[];

  before(async () => {
    built = await buildApp();
    ds = await testDataSource();
    await truncateAll(ds);
    routes = walkRoutes(built.app);
  });
  after(async () => {
    await built.close();
    await ds.destroy();
  });

  const call = (r: RouteEntry, headers: Record<string, string> = {}) =>
    fetch(`${built.url}${concrete(r.path)}`, {
      method: r.method,
      redirect: 'manual',
      headers: { 'content-type': 'application/json', ...headers },
      body: r.method === 'GET' || r.method === 'HEAD' ? undefined : '{}',
    });

  it('finds the routes of every feature (the walk itself works)', () => {
    const paths = routes.map(label);
    expect(paths).to.include.members(['GET /v1/reports', 'GET /v1/reports/:id', 'GET /metrics', 'GET /ui/reports/:id', 'POST /login']);
    expect(paths.some((p) => p.startsWith('PUT /admin/queues/api/'))).to.equal(true);
  });

  it('anonymous: 401 everywhere except the public allow-list; UI pages redirect to /login', async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      if (isPublic(r)) continue;
      const res = await call(r);
      await res.arrayBuffer();
      if (is(UI_PAGE, r.path) && r.method === 'GET') {
        if (res.status !== 303 || !res.headers.get('location')?.startsWith('/login?next=')) wrong.push(`${label(r)} → ${res.status}`);
      } else if (res.status !== 401) wrong.push(`${label(r)} → ${res.status}`);
    }
    expect(wrong, 'routes that do not refuse anonymous callers').to.deep.equal([]);
  });

  it('analyst: 403 on admin routes (API key and UI session), never 401/403 elsewhere on reads', async () => {
    const key = await bearer(ds, 'analyst');
    await createUser(ds, 'matrix-analyst@example.test', 'analyst', 'correct horse battery');
    const browser = new Browserless(built.url);
    expect((await browser.login('matrix-analyst@example.test', 'correct horse battery')).status).to.equal(303);
    const wrong: string[] = [];
    for (const r of routes) {
      if (isPublic(r)) continue;
      const ui = is(UI_PAGE, r.path);
      const res = ui
        ? await browser.fetch(concrete(r.path), { method: r.method, headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' }, body: r.method === 'GET' ? undefined : '{}' })
        : await call(r, { authorization: key });
      await res.arrayBuffer();
      if (is(ADMIN, r.path)) {
        if (res.status !== 403) wrong.push(`${label(r)} → ${res.status} (want 403)`);
      } else if (r.method === 'GET' && (res.status === 401 || res.status === 403)) {
        wrong.push(`${label(r)} → ${res.status} (analyst should read)`);
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('admin: reaches /metrics with an API key and Bull Board with a session', async () => {
    const key = await bearer(ds, 'admin');
    const metrics = await fetch(`${built.url}/metrics`, { headers: { authorization: key } });
    expect(metrics.status).to.equal(200);
    expect(await metrics.text()).to.include('abuse_intake_submissions_total');
    await createUser(ds, 'matrix-admin@example.test', 'admin', 'correct horse battery');
    const browser = new Browserless(built.url);
    await browser.login('matrix-admin@example.test', 'correct horse battery');
    const board = await browser.fetch('/admin/queues/api/queues');
    expect(board.status).to.equal(200);
    const refused = await browser.fetch('/admin/queues/api/queues/pause', { method: 'PUT', headers: { origin: 'https://evil.example' } });
    expect(refused.status).to.equal(403);
  });
});
