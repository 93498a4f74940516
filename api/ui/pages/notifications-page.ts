import type { Request, Response } from 'express';
import { z } from 'zod';
import { tenantId } from '../../edge/params.ts';
import type { ApiContext } from '../../context.ts';
import { html } from '../../web/html.ts';
import type { CsrfKit } from '../csrf.ts';
import { fmtTime, sendPage, takeFlash } from '../page.ts';
import { filterForm, loadList, problemsBlock, rangePresets, rangeWhere, readList } from '../list/list-view.ts';
import { scrollTable } from '../list/scroll-table.ts';
import { actionForm } from '../actions/confirm-action.ts';

const STATUSES = ['queued', 'sent', 'failed', 'held'] as const;
const filters = z.object({
  status: z.enum(STATUSES).optional(),
  tenant: tenantId.optional(),
  channel: z.enum(['arf', 'digest']).optional(),
});

interface Row {
  id: string; tenant_id: string | null; channel: string; trigger: string; recipients: string[]; report_count: number;
  status: string; attempts: number; last_error: string | null; created_at: Date; sent_at: Date | null;
}

/** Every notification to tenants (docs/notifications.md); a failed or held one can be re-driven. */
export async function notificationsPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const read = readList(req, '/ui/notifications', filters, 50);
  const given = read.url.filters;
  const opt = (name: string, values: readonly string[]) => html`<select name="${name}"><option value="">any</option>${values.map((s) => html`<option value="${s}"${given[name] === s ? html` selected` : ''}>${s}</option>`)}</select>`;
  const fields = html`<label>Status ${opt('status', STATUSES)}</label><label>Channel ${opt('channel', ['arf', 'digest'])}</label>
<label>Tenant <input name="tenant" value="${given.tenant ?? ''}" size="14"></label>`;
  if (!read.ok) {
    res.status(400);
    return sendPage(req, res, csrf, 'Notifications', html`<h1>Notifications</h1>${filterForm('/ui/notifications', fields, { range: 'all' }, 'Created')}${problemsBlock(read.problems)}`);
  }
  const { filters: f, range } = read.list;
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.status) where.push(`status = $${params.push(f.status)}`);
  if (f.channel) where.push(`channel = $${params.push(f.channel)}`);
  if (f.tenant) where.push(`tenant_id = $${params.push(f.tenant)}`);
  rangeWhere('created_at', range, where, params);
  const list = await loadList<Row>(ctx.ds, {
    select: 'id, tenant_id, channel, trigger, recipients, cardinality(report_ids) AS report_count, status, attempts, last_error, created_at, sent_at',
    from: 'notifications', where: where.join(' AND ') || 'true', params, ts: 'created_at', id: 'id', idType: 'uuid',
  }, read.list, ['notification', 'notifications']);
  const token = csrf.token(req, res);
  sendPage(req, res, csrf, 'Notifications', html`<h1>Notifications</h1>
${takeFlash(req)}
${filterForm('/ui/notifications', fields, range, 'Created')}
<div class="toolbar">${rangePresets(read.url, range)}</div>
${list.pager}
${list.rows.length === 0 ? html`<p class="card muted">No notification matches.</p>` : scrollTable(html`<table><thead><tr><th>Created</th><th>Tenant</th><th>Channel</th><th>Status</th><th>To</th><th>Reports</th><th>Sent</th><th>Action</th></tr></thead><tbody>
${list.rows.map((r) => html`<tr><td class="nowrap">${fmtTime(r.created_at)}</td>
<td>${r.tenant_id ? html`<a href="/ui/tenants/${encodeURIComponent(r.tenant_id)}#notifications">${r.tenant_id}</a>` : ''}</td>
<td>${r.channel}${r.trigger === 'manual' ? ' (manual)' : ''}</td>
<td><span class="badge${r.status === 'failed' ? ' bad' : r.status === 'sent' ? ' ok' : ''}">${r.status}</span>${r.attempts ? html` <span class="muted">${r.attempts} attempts</span>` : ''}
${r.last_error ? html`<div class="muted clip">${r.last_error}</div>` : ''}</td>
<td class="mono">${r.recipients.join(', ')}</td><td class="num">${r.report_count}</td><td class="nowrap">${fmtTime(r.sent_at)}</td>
<td>${r.status === 'failed' || r.status === 'held'
    ? actionForm({ action: `/ui/notifications/${r.id}/redrive`, token, returnTo: read.url.with(), button: 'Re-drive…', className: 'inline action compact' }) : ''}</td></tr>`)}
</tbody></table>`, 'Notifications')}`);
}
