import type { Request, Response } from 'express';
import { z } from 'zod';
import { urlText } from '../../edge/params.ts';
import type { ApiContext } from '../../context.ts';
import { html } from '../../web/html.ts';
import { AUDIT_ACTIONS } from '../../actions/audit.ts';
import type { CsrfKit } from '../csrf.ts';
import { fmtTime, sendPage } from '../page.ts';
import { filterForm, loadList, problemsBlock, rangePresets, rangeWhere, readList } from '../list/list-view.ts';
import { scrollTable } from '../list/scroll-table.ts';

const KINDS = ['ip', 'tenant', 'delist-request', 'notification'] as const;
const filters = z.object({
  action: z.enum(AUDIT_ACTIONS).optional(),
  kind: z.enum(KINDS).optional(),
  key: urlText(100).optional(),
  actor: urlText(300).optional(),
});

interface Row { id: string; at: Date; actor: string; action: string; subject_kind: string; subject_key: string; reason: string | null }

function subjectLink(kind: string, key: string) {
  if (kind === 'ip') return html`<a class="mono" href="/ui/ips/${encodeURIComponent(key)}">${key}</a>`;
  if (kind === 'tenant') return html`<a href="/ui/tenants/${encodeURIComponent(key)}">${key}</a>`;
  if (kind === 'delist-request') return html`<a class="mono" href="/ui/delist?status=all">${key}</a>`;
  return html`<span class="mono">${key}</span>`;
}

/** Every analyst action (analyst_audit): who did what to which subject, when and why. */
export async function auditPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const read = readList(req, '/ui/audit', filters, 50);
  const given = read.url.filters;
  const opt = (name: string, values: readonly string[]) => html`<select name="${name}"><option value="">any</option>${values.map((s) => html`<option value="${s}"${given[name] === s ? html` selected` : ''}>${s}</option>`)}</select>`;
  const fields = html`<label>Action ${opt('action', AUDIT_ACTIONS)}</label><label>Subject ${opt('kind', KINDS)}</label>
<label>Key <input name="key" value="${given.key ?? ''}" size="16"></label><label>By <input name="actor" value="${given.actor ?? ''}" placeholder="user:you@example.org" size="18"></label>`;
  if (!read.ok) {
    res.status(400);
    return sendPage(req, res, csrf, 'Audit', html`<h1>Analyst actions</h1>${filterForm('/ui/audit', fields, { range: 'all' }, 'When')}${problemsBlock(read.problems)}`);
  }
  const { filters: f, range } = read.list;
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.action) where.push(`action = $${params.push(f.action)}`);
  if (f.kind) where.push(`subject_kind = $${params.push(f.kind)}`);
  if (f.key) where.push(`subject_key = $${params.push(f.key)}`);
  if (f.actor) where.push(`actor = $${params.push(f.actor)}`);
  rangeWhere('at', range, where, params);
  const list = await loadList<Row>(ctx.ds, {
    select: 'id::text AS id, at, actor, action, subject_kind, subject_key, reason', from: 'analyst_audit', where: where.join(' AND ') || 'true', params,
    ts: 'at', id: 'id', idType: 'bigint',
  }, read.list, ['action', 'actions']);
  sendPage(req, res, csrf, 'Audit', html`<h1>Analyst actions</h1>
${filterForm('/ui/audit', fields, range, 'When')}
<div class="toolbar">${rangePresets(read.url, range)}</div>
${list.pager}
${list.rows.length === 0 ? html`<p class="card muted">No action matches.</p>` : scrollTable(html`<table><thead><tr><th>When</th><th>Action</th><th>Subject</th><th>By</th><th>Reason</th></tr></thead><tbody>
${list.rows.map((r) => html`<tr><td class="nowrap">${fmtTime(r.at)}</td><td>${r.action}</td><td>${subjectLink(r.subject_kind, r.subject_key)}</td>
<td>${r.actor}</td><td class="prewrap">${r.reason ?? ''}</td></tr>`)}</tbody></table>`, 'Analyst actions')}`);
}
