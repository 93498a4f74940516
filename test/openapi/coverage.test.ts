import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { bearer } from '../helpers/service.ts';
import { buildApp } from '../analyst/build-app.ts';
import { walkRoutes, type RouteEntry } from '../analyst/route-walk.ts';
import { openApiPath, type JsonSchema, type OpenApiDocument } from '../../api/openapi/openapi-document.ts';

/**
 * Issue 14, item 14: /openapi.json covers every JSON endpoint the app mounts — found by walking the
 * real router stack — and nothing it does not serve; each operation carries its auth scheme and
 * problem+json errors; and its parameters are the ones the routes validate (an enum the document
 * lists is exactly what the route accepts).
 */

/** Routes that are not the JSON API: pages, forms, static files and Bull Board (its own API, admin session). */
const NOT_JSON_API: RegExp[] = [
  /^\/$/, /^\/ui\//, /^\/login$/, /^\/logout$/, /^\/report(\/|$)/, /^\/delist(\/|$)/, /^\/sender(\/|$)/, /^\/reporters(\/|$)/, /^\/respond(\/|$)/, /^\/language$/,
  /^\/dev\/outbox/, /^\/docs$/, /^\/static(\/|$)/, /^\/admin\/queues(\/|$)/,
];
const isJsonApi = (r: RouteEntry) => !NOT_JSON_API.some((p) => p.test(r.path));
const label = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

describe('OpenAPI document covers every JSON endpoint', function () {
  this.timeout(60_000);
  let built: Awaited<ReturnType<typeof buildApp>>;
  let ds: DataSource;
  let doc: OpenApiDocument;
  let routes: RouteEntry[];

  before(async () => {
    built = await buildApp({ demo: true });
    ds = await testDataSource();
    await truncateAll(ds);
    routes = walkRoutes(built.app);
    doc = (await (await fetch(`${built.url}/openapi.json`)).json()) as OpenApiDocument;
  });
  after(async () => {
    await built?.close();
    await ds?.destroy();
  });

  const documented = () =>
    Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));

  it('every mounted JSON route is in the document', () => {
    const json = routes.filter(isJsonApi);
    expect(json.length, 'the walk finds the JSON API').to.be.greaterThan(20);
    const missing = json.filter((r) => !documented().some((d) => d.method === r.method && d.path === openApiPath(r.path)));
    expect(missing.map(label), 'mounted but not in /openapi.json (add it to api/openapi/registry.ts)').to.deep.equal([]);
  });

  it('every documented operation is mounted', () => {
    const ghosts = documented().filter((d) => !routes.some((r) => r.method === d.method && openApiPath(r.path) === d.path));
    expect(ghosts.map(label)).to.deep.equal([]);
  });

  it('covers intake, reports, stats, reputation, listings, delist requests, volume and admin', () => {
    expect(documented().map(label)).to.include.members([
      'POST /v1/intake/email', 'POST /v1/reports', 'GET /v1/reports', 'GET /v1/reports/{id}', 'GET /v1/submissions/{id}',
      'GET /v1/stats/top', 'GET /v1/lookup/{ip}', 'GET /v1/blocklist', 'POST /v1/listings/{ip}', 'DELETE /v1/listings/{ip}',
      'GET /v1/delist-requests', 'POST /v1/delist-requests/{id}/decision', 'POST /v1/volume', 'GET /v1/admin/failed',
    ]);
  });

  it('each operation states its auth and its problem+json errors', () => {
    expect(doc.components.securitySchemes).to.have.keys('bearer', 'session');
    const wrong: string[] = [];
    for (const { method, path, op } of documented()) {
      const authed = op['x-roles'].length > 0;
      if (authed !== op.security.length > 0) wrong.push(`${method} ${path}: security does not match its roles`);
      if (authed && (!op.responses['401'] || !op.responses['403'])) wrong.push(`${method} ${path}: no 401/403`);
      if ((op.parameters.length || 'requestBody' in op) && !op.responses['400']) wrong.push(`${method} ${path}: takes input but documents no 400`);
      for (const [status, r] of Object.entries(op.responses as Record<string, { content?: Record<string, unknown> }>)) {
        // Errors are problem+json; the one exception is /readyz's 503, which is its JSON status by design.
        if (Number(status) >= 400 && !r.content?.['application/problem+json'] && path !== '/readyz') wrong.push(`${method} ${path}: ${status} is not problem+json`);
      }
      for (const p of op.parameters.filter((x) => x.in === 'path')) if (!path.includes(`{${p.name}}`)) wrong.push(`${method} ${path}: path parameter ${p.name} not in the path`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it('what the document lists is what the routes accept: every documented query enum, each value and one outside it', async () => {
    const key = await bearer(ds, 'admin');
    const wrong: string[] = [];
    let checked = 0;
    for (const { method, path, op } of documented().filter((d) => d.method === 'GET')) {
      for (const p of op.parameters.filter((x) => x.in === 'query' && Array.isArray((x.schema as JsonSchema).enum))) {
        const values = (p.schema as JsonSchema).enum as string[];
        // Other required parameters get their documented default or first enum value.
        const others = op.parameters.filter((x) => x.in === 'query' && x.required && x.name !== p.name)
          .map((x) => `${x.name}=${encodeURIComponent(String((x.schema as JsonSchema).default ?? ((x.schema as JsonSchema).enum as string[])[0]))}`);
        // Path parameters get their documented example (an endpoint with one, e.g. /v1/campaigns/{id}).
        const concretePath = path.replace(/\{(\w+)\}/g, (whole, name: string) => {
          const example = (op.parameters.find((x) => x.in === 'path' && x.name === name)?.schema as JsonSchema | undefined)?.examples;
          return Array.isArray(example) && example.length ? encodeURIComponent(String(example[0])) : whole;
        });
        const url = (v: string) => `${built.url}${concretePath}?${[...others, `${p.name}=${encodeURIComponent(v)}`].join('&')}`;
        for (const v of values) {
          const res = await fetch(url(v), { headers: { authorization: key } });
          await res.arrayBuffer();
          if (res.status === 400) wrong.push(`${method} ${path}?${p.name}=${v}: documented but refused`);
          checked++;
        }
        const res = await fetch(url('not-a-documented-value'), { headers: { authorization: key } });
        const body = await res.text();
        if (res.status !== 400 || !body.includes(`query parameter ${p.name}:`)) wrong.push(`${method} ${path}?${p.name}=<undocumented>: ${res.status}`);
      }
    }
    expect(checked, 'enum parameters checked').to.be.greaterThan(10);
    expect(wrong).to.deep.equal([]);
  });

  it('/docs renders every operation, without inline script', async () => {
    const res = await fetch(`${built.url}/docs`);
    const html = await res.text();
    for (const { op } of documented()) expect(html).to.include(`id="${op.operationId}"`);
    expect(html).not.to.match(/<script(?![^>]*\bsrc=)/);
  });
});
