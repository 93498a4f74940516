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

const STATES = ['open', 'cleared', 'all'] as const;
const filters = z.object({ state: z.enum(STATES).optional(), tenant: tenantId.optional() });

/** Tenants that crossed the thresholds (never listed: an analyst acts); open flags can be cleared here. */
export async function tenantFlagsPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const read = readList(req, '/ui/tenant-flags', filters, 50);
  const given = read.url.filters;
  const state = given.state ?? 'open';
  const fields = html`<label>State <select name="state">${STATES.map((s) => html`<option value="${s}"${s === state ? html` selected` : ''}>${s}</option>`)}</select></label>
<label>Tenant <input name="tenant" value="${given.tenant ?? ''}" size="14"></label>`;
  if (!read.ok) {
    res.status(400);
    return sendPage(req, res, csrf, 'Tenant flags', html`<h1>Tenant flags</h1>${filterForm('/ui/tenant-flags', fields, { range: 'all' }, 'Flagged')}${problemsBlock(read.problems)}`);
  }
  const { filters: f, range } = read.list;
  const where: string[] = [];
  const params: unknown[] = [];
  if (state !== 'all') where.push(state === 'open' ? 'cleared_at IS NULL' : 'cleared_at IS NOT NULL');
  if (f.tenant) where.push(`tenant_id = $${params.push(f.tenant.toLowerCase())}`);
  rangeWhere('flagged_at', range, where, params);
  const list = await loadList<{ tenant_id: string; flagged_at: Date; score: number; reasons: unknown; cleared_at: Date | null }>(ctx.ds, {
    select: 'tenant_id, flagged_at, score, reasons, cleared_at', from: 'tenant_flags', where: where.join(' AND ') || 'true', params,
    ts: 'flagged_at', id: 'tenant_id', idType: 'text',
  }, read.list, ['flag', 'flags']);
  const token = csrf.token(req, res);
  sendPage(req, res, csrf, 'Tenant flags', html`<h1>Tenant flags</h1>
${takeFlash(req)}
${filterForm('/ui/tenant-flags', fields, range, 'Flagged')}
<div class="toolbar">${rangePresets(read.url, range)}</div>
${list.pager}
${list.rows.length === 0 ? html`<p class="card muted">No flag matches.</p>` : scrollTable(html`<table><thead><tr><th>Tenant</th><th>Flagged</th><th>Score</th><th>Why</th><th>Cleared</th><th>Action</th></tr></thead><tbody>
${list.rows.map((r) => html`<tr><td><a href="/ui/tenants/${encodeURIComponent(r.tenant_id)}">${r.tenant_id}</a></td><td class="nowrap">${fmtTime(r.flagged_at)}</td>
<td class="num">${r.score.toFixed(2)}</td><td>${Array.isArray(r.reasons) ? r.reasons.map((x) => html`<div>${String(x)}</div>`) : ''}</td>
<td class="nowrap">${r.cleared_at ? fmtTime(r.cleared_at) : html`<span class="badge listed">open</span>`}</td>
<td>${r.cleared_at ? '' : actionForm({
    action: `/ui/tenants/${encodeURIComponent(r.tenant_id)}/clear-flag`, token, returnTo: read.url.with(), className: 'decision',
    fields: html`<label>Reason <input name="reason" required minlength="3" maxlength="1000"></label>`, button: 'Clear…',
  })}</td></tr>`)}</tbody></table>`, 'Tenant flags')}`);
}
