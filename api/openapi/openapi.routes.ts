import { Router } from 'express';
import type { ApiContext } from '../context.ts';
import { layout } from '../web/layout.ts';
import { html } from '../web/html.ts';
import { openApiDocument, type Operation } from './openapi-document.ts';
import { openApiEndpoint } from './openapi.schemas.ts';

/**
 * Public: `GET /openapi.json` and `GET /docs`, a page rendered server-side from the same document
 * (no Swagger UI from a CDN, no inline script).
 */
export function openApiRoutes(ctx: ApiContext): Router {
  const router = Router();
  const doc = openApiDocument(ctx.config.PUBLIC_URL);
  const page = docsPage(doc);
  router.get(openApiEndpoint.path, (_req, res) => {
    res.json(doc);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  return router;
}

function docsPage(doc: ReturnType<typeof openApiDocument>): string {
  const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  const tags = [...new Set(ops.map((o) => o.op.tags[0]!))];
  const section = ({ path, method, op }: { path: string; method: string; op: Operation }) => html`<section class="card" id="${op.operationId}">
<h3><span class="badge">${method.toUpperCase()}</span> <code>${path}</code></h3>
<p>${op.summary}${op.description ? html`<br><span class="muted">${op.description}</span>` : ''}</p>
<p class="muted">${op['x-roles'].length ? `API key with role ${op['x-roles'].join(' or ')}${op.security.length > 1 ? ', or a signed-in UI session' : ''}` : 'public'}</p>
${op.parameters.length ? html`<div class="table-wrap"><table><thead><tr><th>parameter</th><th>in</th><th>required</th><th>type</th><th>description</th></tr></thead><tbody>
${op.parameters.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : ''}</td>
<td><code>${describeType(p.schema)}</code></td><td>${p.description ?? ''}</td></tr>`)}
</tbody></table></div>` : ''}
${'requestBody' in op && op.requestBody ? html`<p>Body: ${Object.keys(op.requestBody.content).map((t) => html`<code>${t}</code> `)}</p>` : ''}
<p class="muted">Responses: ${Object.keys(op.responses).join(', ')}</p>
</section>`;
  return layout({
    title: 'API documentation',
    body: html`<h1>API</h1>
<p>${doc.info.description} Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
Authenticate with <code>Authorization: Bearer &lt;API key&gt;</code>, or a signed-in UI session for the GET requests that allow it.</p>
<nav aria-label="sections"><p>${tags.map((t) => html`<a href="#tag-${t}">${t}</a> `)}</p></nav>
${tags.map((t) => html`<h2 id="tag-${t}">${t}</h2>${ops.filter((o) => o.op.tags[0] === t).map(section)}`)}`,
  });
}

function describeType(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return schema.enum.join(' | ');
  const t = schema.type ?? (schema.anyOf ? 'any of' : 'string');
  return `${String(t)}${schema.format ? ` (${String(schema.format)})` : ''}${schema.default !== undefined ? ` = ${String(schema.default)}` : ''}`;
}
