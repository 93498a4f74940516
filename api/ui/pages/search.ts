import type { Request, Response } from 'express';
import type { ApiContext } from '../../context.ts';
import { html } from '../../web/html.ts';
import { listReports } from '../../analyst/report-query.ts';
import { reportListQuery, DIRECTIONS, KINDS, CONFIDENCES } from '../../analyst/schemas.ts';
import { TRUST_LEVELS } from '../../../shared/trust/reporter-trust.ts';
import type { CsrfKit } from '../csrf.ts';
import { sendPage } from '../page.ts';
import { uuid } from '../../edge/params.ts';
import { reportTable } from './report-table.ts';

/** Report search: a GET form, so the URL holds the query and can be shared; keyset paging. */
export async function searchPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  // Empty form fields arrive as "": treat them as absent.
  const input = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string' && v !== ''));
  const parsed = reportListQuery.safeParse(input);
  const v = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : '');
  const select = (name: string, options: readonly string[]) => html`<select name="${name}" id="f-${name}"><option value="">any</option>${options.map(
    (o) => html`<option${v(name) === o ? html` selected` : ''}>${o}</option>`,
  )}</select>`;
  const form = html`<form method="get" action="/ui/reports" class="filters card" role="search">
<label>Text <input name="q" value="${v('q')}" placeholder="subject, From, Message-ID"></label>
<label>IP <input name="ip" value="${v('ip')}" class="mono" placeholder="203.0.113.7"></label>
<label>Network <input name="cidr" value="${v('cidr')}" class="mono" placeholder="203.0.113.0/24"></label>
<label>Tenant <input name="tenant" value="${v('tenant')}"></label>
<label>Direction ${select('direction', DIRECTIONS)}</label>
<label>Kind ${select('kind', KINDS)}</label>
<label>Confidence ${select('confidence', CONFIDENCES)}</label>
<label>Reporter trust ${select('trust', TRUST_LEVELS)}</label>
<label>Feedback type <input name="feedbackType" value="${v('feedbackType')}" size="8"></label>
<label>Since <input name="since" value="${v('since')}" placeholder="2026-11-01T00:00:00Z" size="20"></label>
<label>Until <input name="until" value="${v('until')}" size="20"></label>
<div class="actions"><button type="submit">Search</button> <a href="/ui/reports">Clear</a></div>
</form>`;
  if (!parsed.success) {
    res.status(400);
    return sendPage(req, res, csrf, 'Reports', html`<h1>Reports</h1>${form}<div class="errors" role="alert"><ul>${parsed.error.issues.map(
      (i) => html`<li>${i.path.join('.')}: ${i.message}</li>`,
    )}</ul></div>`);
  }
  const { limit, cursor, ...filters } = parsed.data;
  const page = await listReports(ctx.ds, filters, limit, cursor);
  // A tracking id whose submission made no report (discarded, failed, waiting): point at the submission.
  const bareId = page.items.length === 0 && filters.q && uuid.safeParse(filters.q.trim()).success ? filters.q.trim().toLowerCase() : null;
  const submission = bareId && (await ctx.ds.query(`SELECT 1 FROM submissions WHERE id = $1::uuid`, [bareId])).length ? bareId : null;
  const exportQs = new URLSearchParams(Object.entries(filters).filter(([, x]) => x !== undefined) as [string, string][]);
  const nextQs = new URLSearchParams(Object.entries(input) as [string, string][]);
  if (page.nextCursor) nextQs.set('cursor', page.nextCursor);
  sendPage(req, res, csrf, 'Reports', html`<h1>Reports</h1>${form}
<div class="toolbar"><span class="muted">${page.items.length} shown${cursor ? ' (older page)' : ''}</span>
<span>Export: <a href="/v1/reports/export?${exportQs.toString()}${exportQs.size ? '&' : ''}format=csv">CSV</a> ·
<a href="/v1/reports/export?${exportQs.toString()}${exportQs.size ? '&' : ''}format=ndjson">NDJSON</a></span></div>
${submission ? html`<p class="notice">Submission <a class="mono" href="/ui/reports/${submission}">${submission}</a> made no report; open it to see why.</p>` : ''}
${reportTable(page.items, ctx.config.REPUTATION_MIN_TRUST)}
<nav class="pager" aria-label="pages">${cursor ? html`<a href="/ui/reports?${new URLSearchParams(Object.entries(input).filter(([k]) => k !== 'cursor') as [string, string][]).toString()}">Newest</a>` : ''}
${page.nextCursor ? html`<a class="button" href="/ui/reports?${nextQs.toString()}">Older →</a>` : ''}</nav>`);
}
