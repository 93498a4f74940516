import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../../context.ts';
import { html } from '../../web/html.ts';
import { cidrString, ipString } from '../../analyst/schemas.ts';
import type { CsrfKit } from '../csrf.ts';
import { fmtTime, sendPage, takeFlash } from '../page.ts';
import { filterForm, loadList, problemsBlock, rangePresets, rangeWhere, readList } from '../list/list-view.ts';
import { scrollTable } from '../list/scroll-table.ts';

const filters = z.object({ ip: ipString.optional(), cidr: cidrString.optional() });

/** The IPs listed now, newest listing first; each links to its IP page (where it can be removed). */
export async function listingsPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const read = readList(req, '/ui/listings', filters, 50);
  const given = read.url.filters;
  const fields = html`<label>IP <input name="ip" class="mono" value="${given.ip ?? ''}" size="16"></label>
<label>Network <input name="cidr" class="mono" value="${given.cidr ?? ''}" placeholder="203.0.113.0/24" size="18"></label>`;
  if (!read.ok) {
    res.status(400);
    return sendPage(req, res, csrf, 'Listings', html`<h1>Listed IPs</h1>${filterForm('/ui/listings', fields, { range: 'all' }, 'Listed')}${problemsBlock(read.problems)}`);
  }
  const { filters: f, range } = read.list;
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.ip) where.push(`ip = $${params.push(f.ip)}::inet`);
  if (f.cidr) where.push(`ip <<= $${params.push(f.cidr)}::inet`);
  rangeWhere('listed_at', range, where, params);
  const list = await loadList<{ ip: string; listed_at: Date; reasons: unknown }>(ctx.ds, {
    select: 'host(ip) AS ip, listed_at, reasons', from: 'listings', where: where.join(' AND ') || 'true', params, ts: 'listed_at', id: 'ip', idType: 'inet',
  }, read.list, ['listed IP', 'listed IPs']);
  sendPage(req, res, csrf, 'Listings', html`<h1>Listed IPs</h1>
${takeFlash(req)}
${filterForm('/ui/listings', fields, range, 'Listed')}
<div class="toolbar">${rangePresets(read.url, range)}</div>
${list.pager}
${list.rows.length === 0 ? html`<p class="card muted">No listed IP matches.</p>` : scrollTable(html`<table><thead><tr><th>IP</th><th>Listed</th><th>Why</th><th></th></tr></thead><tbody>
${list.rows.map((r) => html`<tr><td><a class="mono" href="/ui/ips/${encodeURIComponent(r.ip)}">${r.ip}</a></td><td class="nowrap">${fmtTime(r.listed_at)}</td>
<td>${Array.isArray(r.reasons) ? r.reasons.map((x) => html`<div>${String(x)}</div>`) : ''}</td>
<td><a href="/ui/ips/${encodeURIComponent(r.ip)}#actions">Remove…</a></td></tr>`)}</tbody></table>`, 'Listed IPs')}`);
}
