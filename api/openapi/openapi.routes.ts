import { Router } from 'express';
import type { ApiContext } from '../context.ts';
import { layout } from '../web/layout.ts';
import { html } from '../web/html.ts';
import { openApiDocument } from './openapi-document.ts';

/**
 * Public: `GET /openapi.json` and `GET /docs`, a page rendered server-side from the same document
 * (no Swagger UI from a CDN, no inline script).
 */
export function openApiRoutes(ctx: ApiContext): Router {
  const router = Router();
  const doc = openApiDocument(ctx.config.PUBLIC_URL);
  router.get('/openapi.json', (_req, res) => {
    res.json(doc);
  });
  router.get('/docs', (_req, res) => {
    const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item as Record<string, Operation>).map(([method, op]) => {
      return html`<section class="card" id="${method}-${path}">
<h2><span class="badge">${method.toUpperCase()}</span> <code>${path}</code></h2>
<p>${op.summary}</p>
<table><thead><tr><th>parameter</th><th>in</th><th>required</th><th>type</th><th>description</th></tr></thead><tbody>
${op.parameters.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : ''}</td>
<td><code>${describeType(p.schema)}</code></td><td>${p.description ?? ''}</td></tr>`)}
</tbody></table>
<p class="muted">Responses: ${Object.keys(op.responses).join(', ')}</p>
</section>`;
    }));
    res.type('html').send(layout({
      title: 'API documentation',
      body: html`<h1>Analyst API</h1>
<p>${doc.info.description} Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
Authenticate with <code>Authorization: Bearer &lt;API key&gt;</code>, or a signed-in UI session for GET requests.</p>
${ops}`,
    }));
  });
  return router;
}

/** What the page reads of an operation (GET and POST items alike). */
interface Operation {
  summary: string;
  parameters: { name: string; in: string; required: boolean; description?: string; schema: Record<string, unknown> }[];
  responses: Record<string, unknown>;
}

function describeType(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return schema.enum.join(' | ');
  const t = schema.type ?? (schema.anyOf ? 'any of' : 'string');
  return `${String(t)}${schema.format ? ` (${String(schema.format)})` : ''}${schema.default !== undefined ? ` = ${String(schema.default)}` : ''}`;
}
