import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../../context.ts';
import { html } from '../../web/html.ts';
import { countReports, listReports } from '../../analyst/report-query.ts';
import { reportFilters, DIRECTIONS, KINDS, CONFIDENCES } from '../../analyst/schemas.ts';
import { CHANNELS } from '../../../shared/db/entities/submission.entity.ts';
import { TRUST_LEVELS } from '../../../shared/trust/reporter-trust.ts';
import type { CsrfKit } from '../csrf.ts';
import { sendPage } from '../page.ts';
import { pager } from '../list/pager.ts';
import { filterForm, problemsBlock, rangePresets, readList } from '../list/list-view.ts';
import { uuid } from '../../edge/params.ts';
import { reportTable } from './report-table.ts';

/** The search's own filters: the API's report filters; the time comes from the common range fields. */
const searchFilters = reportFilters.omit({ since: true, until: true }).extend({
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

const CHANNEL_LABELS: Record<string, string> = { http: 'http (raw MIME)', smtp: 'smtp', webform: 'webform (public form)', api: 'api (POST /v1/reports)', trap: 'trap (spam-trap hit)' };

/**
 * Report search: a GET form, so the URL holds the query and can be shared; a bounded total, keyset
 * pages with page numbers, time presets. The table and the export links use the same filters.
 */
export async function searchPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const read = readList(req, '/ui/reports', searchFilters, 50);
  const given = read.url.filters;
  const v = (k: string) => given[k] ?? '';
  const select = (name: string, options: readonly string[], labels: Record<string, string> = {}) => html`<select name="${name}"><option value="">any</option>${options.map(
    (o) => html`<option value="${o}"${v(name) === o ? html` selected` : ''}>${labels[o] ?? o}</option>`,
  )}</select>`;
  const fields = html`<label>Text <input name="q" value="${v('q')}" placeholder="subject, From, Message-ID, id"></label>
<label>IP <input name="ip" value="${v('ip')}" class="mono" placeholder="203.0.113.7" size="16"></label>
<label>Network <input name="cidr" value="${v('cidr')}" class="mono" placeholder="203.0.113.0/24" size="18"></label>
<label>Tenant <input name="tenant" value="${v('tenant')}" size="12"></label>
<label>Channel ${select('channel', CHANNELS, CHANNEL_LABELS)}</label>
<label>Direction ${select('direction', DIRECTIONS)}</label>
<label>Kind ${select('kind', KINDS)}</label>
<label>Confidence ${select('confidence', CONFIDENCES)}</label>
<label>Reporter trust ${select('trust', TRUST_LEVELS)}</label>
<label>Feedback type <input name="feedbackType" value="${v('feedbackType')}" size="8"></label>`;
  if (!read.ok) {
    res.status(400);
    return sendPage(req, res, csrf, 'Reports', html`<h1>Reports</h1>${filterForm('/ui/reports', fields, { range: 'all' }, 'Received')}${problemsBlock(read.problems)}`);
  }
  const { filters: f, range, paging } = read.list;
  const { limit: _l, ...rest } = f;
  const filters = { ...rest, ...(range.since ? { since: range.since } : {}), ...(range.until ? { until: range.until } : {}) };
  const [page, total] = await Promise.all([
    listReports(ctx.ds, filters, paging.limit, paging.after, { before: paging.before, offset: paging.offset }),
    countReports(ctx.ds, filters),
  ]);
  // A tracking id whose submission made no report (discarded, failed, waiting): point at the submission.
  const bareId = page.items.length === 0 && filters.q && uuid.safeParse(filters.q.trim()).success ? filters.q.trim().toLowerCase() : null;
  const submission = bareId && (await ctx.ds.query(`SELECT 1 FROM submissions WHERE id = $1::uuid`, [bareId])).length ? bareId : null;
  const exportQs = new URLSearchParams(Object.entries(filters).filter(([, x]) => x !== undefined) as [string, string][]).toString();
  const exportLink = (format: string) => `/v1/reports/export?${exportQs}${exportQs ? '&' : ''}format=${format}`;
  sendPage(req, res, csrf, 'Reports', html`<h1>Reports</h1>
${filterForm('/ui/reports', fields, range, 'Received')}
<div class="toolbar">${rangePresets(read.url, range)}
<span class="exports">Export: <a href="${exportLink('csv')}">CSV</a> · <a href="${exportLink('ndjson')}">NDJSON</a></span></div>
${pager({ url: read.url, limit: paging.limit, number: paging.number, next: page.nextCursor, prev: page.prevCursor, shown: page.items.length, total, noun: ['report', 'reports'] })}
${submission ? html`<p class="notice">Submission <a class="mono" href="/ui/reports/${submission}">${submission}</a> made no report; open it to see why.</p>` : ''}
${reportTable(page.items, ctx.config.REPUTATION_MIN_TRUST)}`);
}
