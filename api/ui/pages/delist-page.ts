import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../../context.ts';
import { html } from '../../web/html.ts';
import { ipString } from '../../analyst/schemas.ts';
import type { CsrfKit } from '../csrf.ts';
import { fmtTime, sendPage, takeFlash } from '../page.ts';
import { filterForm, loadList, problemsBlock, rangePresets, rangeWhere, readList } from '../list/list-view.ts';
import { scrollTable } from '../list/scroll-table.ts';
import { actionForm } from '../actions/confirm-action.ts';

const STATUSES = ['queued', 'unconfirmed', 'delisted', 'approved', 'denied', 'not_listed', 'all'] as const;
const filters = z.object({
  status: z.enum(STATUSES).optional(),
  ip: ipString.optional(),
});

interface Row {
  id: string; ip: string; email: string; status: string; created_at: Date; reasons: unknown;
  decided_by: string | null; decided_at: Date | null; decision_reason: string | null;
}

/**
 * Delist requests: by default those the rules left to an analyst (`queued`), each with an
 * approve / deny form (reason, then a confirmation step); any status, an IP, a time range.
 */
export async function delistPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const read = readList(req, '/ui/delist', filters, 50);
  const given = read.url.filters;
  const status = given.status ?? 'queued';
  const fields = html`<label>Status <select name="status">${STATUSES.map((s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${s}</option>`)}</select></label>
<label>IP <input name="ip" class="mono" value="${given.ip ?? ''}" size="16"></label>`;
  const title = status === 'queued' ? 'Delist requests waiting for an analyst' : 'Delist requests';
  if (!read.ok) {
    res.status(400);
    return sendPage(req, res, csrf, 'Delist requests', html`<h1>${title}</h1>${filterForm('/ui/delist', fields, { range: 'all' }, 'Requested')}${problemsBlock(read.problems)}`);
  }
  const { filters: f, range } = read.list;
  const where: string[] = [];
  const params: unknown[] = [];
  if (status !== 'all') where.push(`status = $${params.push(status)}`);
  if (f.ip) where.push(`ip = $${params.push(f.ip)}::inet`);
  rangeWhere('created_at', range, where, params);
  const list = await loadList<Row>(ctx.ds, {
    select: `id, host(ip) AS ip, email, status, created_at, reasons, decided_by, decided_at, decision_reason`,
    from: 'delist_requests', where: where.join(' AND ') || 'true', params, ts: 'created_at', id: 'id', idType: 'uuid',
  }, read.list, ['request', 'requests']);
  const token = csrf.token(req, res);
  const back = read.url.with();
  const decision = (r: Row) => r.status === 'queued'
    ? actionForm({
        action: `/ui/delist/${r.id}/decision`, token, returnTo: back, className: 'decision',
        fields: html`<label>Reason <input name="reason" required minlength="3" maxlength="1000" placeholder="why (kept in the history)"></label>`,
        button: html`<span><button type="submit" name="decision" value="approve">Approve…</button> <button type="submit" name="decision" value="deny" class="danger">Deny…</button></span>`,
      })
    : r.decided_by ? html`<span class="muted">${r.decided_by} ${fmtTime(r.decided_at)}</span><div class="prewrap">${r.decision_reason ?? ''}</div>` : '';
  sendPage(req, res, csrf, 'Delist requests', html`<h1>${title}</h1>
${takeFlash(req)}
${filterForm('/ui/delist', fields, range, 'Requested')}
<div class="toolbar">${rangePresets(read.url, range)}</div>
${list.pager}
${list.rows.length === 0 ? html`<p class="card muted">${status === 'queued' ? 'Nothing is waiting.' : 'No requests match.'}</p>` : scrollTable(html`<table><thead><tr><th>Requested</th><th>IP</th><th>Contact</th><th>Status</th><th>Why it needs a decision</th><th>Decision</th></tr></thead><tbody>
${list.rows.map((r) => html`<tr><td class="nowrap">${fmtTime(r.created_at)}</td><td><a class="mono" href="/ui/ips/${encodeURIComponent(r.ip)}">${r.ip}</a></td><td class="mono">${r.email}</td>
<td><span class="badge">${r.status}</span></td>
<td>${Array.isArray(r.reasons) ? r.reasons.map((x) => html`<div>${String(x)}</div>`) : ''}</td>
<td>${decision(r)}</td></tr>`)}</tbody></table>`, 'Delist requests')}`);
}
