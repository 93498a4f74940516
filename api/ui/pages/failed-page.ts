import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../../context.ts';
import { html } from '../../web/html.ts';
import { CHANNELS } from '../../../shared/db/entities/submission.entity.ts';
import type { CsrfKit } from '../csrf.ts';
import { fmtTime, sendPage } from '../page.ts';
import { filterForm, loadList, problemsBlock, rangePresets, rangeWhere, readList } from '../list/list-view.ts';
import { scrollTable } from '../list/scroll-table.ts';
import { excerpt } from '../list/excerpt.ts';

const filters = z.object({ channel: z.enum(CHANNELS).optional() });

interface Row {
  id: string; channel: string; received_at: Date; processed_at: Date; category: string | null; description: string | null;
  size_bytes: number; error: string | null; raw_kept: boolean;
}

/**
 * Failed submissions (admin, like `GET /v1/admin/failed`), most recently failed first, with why.
 * `npx abuse-intake requeue --failed` processes them again (docs/reliability.md).
 */
export async function failedPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const read = readList(req, '/ui/admin/failed', filters, 50);
  const given = read.url.filters;
  const fields = html`<label>Channel <select name="channel"><option value="">any</option>${CHANNELS.map((c) => html`<option value="${c}"${given.channel === c ? html` selected` : ''}>${c}</option>`)}</select></label>`;
  if (!read.ok) {
    res.status(400);
    return sendPage(req, res, csrf, 'Failed submissions', html`<h1>Failed submissions</h1>${filterForm('/ui/admin/failed', fields, { range: 'all' }, 'Failed')}${problemsBlock(read.problems)}`);
  }
  const { filters: f, range } = read.list;
  const where: string[] = [`status = 'failed'`];
  const params: unknown[] = [];
  if (f.channel) where.push(`channel = $${params.push(f.channel)}`);
  rangeWhere('processed_at', range, where, params);
  const list = await loadList<Row>(ctx.ds, {
    select: 'id, channel, received_at, processed_at, category, description, size_bytes, error, raw_sha256 IS NOT NULL AS raw_kept',
    from: 'submissions', where: where.join(' AND '), params, ts: 'processed_at', id: 'id', idType: 'uuid',
  }, read.list, ['failed submission', 'failed submissions']);
  sendPage(req, res, csrf, 'Failed submissions', html`<h1>Failed submissions</h1>
<p class="muted">Process them again with <code>npx abuse-intake requeue --failed [--since ISO]</code>.</p>
${filterForm('/ui/admin/failed', fields, range, 'Failed')}
<div class="toolbar">${rangePresets(read.url, range)}</div>
${list.pager}
${list.rows.length === 0 ? html`<p class="card muted">No failed submission matches.</p>` : scrollTable(html`<table><thead><tr><th>Failed</th><th>Received</th><th>Submission</th><th>Channel</th><th>Reporter's note</th><th>Size</th><th>Why</th><th>Raw kept</th></tr></thead><tbody>
${list.rows.map((r) => html`<tr><td class="nowrap">${fmtTime(r.processed_at)}</td><td class="nowrap">${fmtTime(r.received_at)}</td>
<td class="mono">${r.id}</td><td class="nowrap">${r.channel}${r.category ? html` <span class="badge category">${r.category}</span>` : ''}</td>
<td class="note">${excerpt(r.description, 100).text}</td><td class="num">${r.size_bytes}</td>
<td class="mono prewrap">${r.error ?? ''}</td><td>${r.raw_kept ? 'yes' : 'no (retention)'}</td></tr>`)}
</tbody></table>`, 'Failed submissions')}`);
}
