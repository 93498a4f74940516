import type { Request, Response } from 'express';
import type { ApiContext } from '../../context.ts';
import { html, type Html } from '../../web/html.ts';
import { ipProfile, tenantProfile, type SubjectProfile } from '../../analyst/subject-query.ts';
import { halfLifeMs } from '../../analyst/subject.routes.ts';
import type { CsrfKit } from '../csrf.ts';
import { badParameterPage, fmtTime, sendPage, takeFlash } from '../page.ts';
import { ipAddress, tenantId } from '../../edge/params.ts';
import { reportTable } from './report-table.ts';
import { readCase } from '../../triage/triage-store.ts';
import { triageCard } from '../../triage/triage-card.ts';
import type { ReporterTrust } from '../../../shared/trust/reporter-trust.ts';
import { notificationsCard } from '../../notifications/notifications-card.ts';
import { actionForm } from '../actions/confirm-action.ts';
import { auditCard } from './audit-card.ts';
import { scrollTable } from '../list/scroll-table.ts';

function counts(title: string, m: Record<string, number>): Html {
  const entries = Object.entries(m).sort((a, b) => b[1] - a[1]);
  return html`<h3>${title}</h3>${entries.length ? html`<table class="compact"><tbody>${entries.map(([k, v]) => html`<tr><td>${k}</td><td class="num">${v}</td></tr>`)}</tbody></table>` : html`<p class="muted">none</p>`}`;
}

function profileBody(p: SubjectProfile, chartSrc: string, filterLink: string, actions: Html | string = '', minTrust: ReporterTrust = 'verified'): Html {
  const rate = p.complaintRate.rate;
  return html`
<div class="kpis">
<div class="kpi"><span class="kpi-n">${p.reputation ? p.reputation.score.toFixed(2) : '–'}</span><span class="kpi-l">score (decayed to now)</span></div>
<div class="kpi"><span class="kpi-n">${p.reports.last24h}</span><span class="kpi-l">reports 24 h</span></div>
<div class="kpi"><span class="kpi-n">${p.reports.last7d}</span><span class="kpi-l">reports 7 d</span></div>
<div class="kpi"><span class="kpi-n">${rate === null ? '–' : `${(rate * 100).toFixed(3)}%`}</span><span class="kpi-l">complaint rate 24 h${p.complaintRate.delivered24h ? ` (${p.complaintRate.delivered24h} delivered)` : ''}</span></div>
</div>
<section class="card"><h2>Reports per day, last 30 days</h2><div class="chart" data-src="${chartSrc}" role="img" aria-label="Reports per day"></div></section>
<div class="grid2">
<section class="card"><h2>Breakdown, 30 days</h2><div class="grid2">${counts('By kind', p.reports.breakdown.kind)}${counts('By feedback type', p.reports.breakdown.feedbackType)}</div></section>
${p.subject.kind === 'ip' ? html`<section class="card"><h2>Listing history</h2>${p.history.length ? scrollTable(html`<table class="compact"><thead><tr><th>When</th><th>Action</th><th>Why</th><th>By</th></tr></thead><tbody>
${p.history.map((h) => html`<tr><td class="nowrap">${fmtTime(h.at)}</td><td>${h.action}</td><td class="prewrap">${h.reason}</td><td>${h.actor}</td></tr>`)}</tbody></table>`, 'Listing history') : html`<p class="muted">No listing events.</p>`}
</section>` : ''}
${actions}
</div>
<section class="card"><h2>Recent reports</h2>${reportTable(p.reports.recent, minTrust)}<p><a href="${filterLink}">All reports →</a></p></section>`;
}

/** A reason field for an action form (required unless `optional`). */
function reasonField(optional = false): Html {
  return html`<label>Reason${optional ? ' (optional)' : ''} <input name="reason"${optional ? '' : html` required minlength="3"`} maxlength="1000" size="28" placeholder="why (kept in the audit)"></label>`;
}

export async function ipPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const parsed = ipAddress.safeParse(req.params.ip);
  if (!parsed.success) return badParameterPage(req, res, csrf, [{ field: 'ip', message: parsed.error.issues[0]!.message }]);
  const ip = parsed.data;
  const p = await ipProfile(ctx.ds, ip, halfLifeMs(ctx));
  const key = p.subject.key;
  const listed = p.listing?.listed;
  const token = csrf.token(req, res);
  const action = (verb: 'list' | 'unlist') => `/ui/ips/${encodeURIComponent(key)}/${verb}`;
  const actions = html`<section class="card" id="actions"><h2>Actions</h2>
${listed
    ? html`<p>Listed since ${fmtTime(p.listing!.listedAt)}${p.listing!.manual ? html` by hand, ${p.listing!.expiresAt ? `until ${fmtTime(p.listing!.expiresAt)}` : 'with no expiry'}` : ''}.</p>
${actionForm({ action: action('unlist'), token, fields: reasonField(), button: 'Remove listing…', danger: true })}`
    : p.reputation?.platform
      ? html`<p class="muted">A platform address is never listed; flag or act on its tenant instead.</p>`
      : html`<p>Not listed.</p>${actionForm({ action: action('list'), token, fields: html`${reasonField()}
<label>Expires (UTC, optional) <input type="datetime-local" name="expiresAt" step="60"></label>`, button: 'List this IP…', danger: true })}`}
<p class="muted">Each action asks for confirmation, and is kept in the listing history and the audit.</p>
</section>`;
  sendPage(req, res, csrf, `IP ${key}`, html`
<h1>IP <span class="mono">${key}</span> ${listed ? html`<span class="badge listed">listed since ${fmtTime(p.listing!.listedAt)}</span>` : p.listing ? html`<span class="badge ok">not listed</span>` : ''}
${p.reputation?.platform ? html`<span class="badge">platform address</span>` : ''}</h1>
${takeFlash(req)}
${profileBody(p, `/v1/stats/timeseries?ip=${encodeURIComponent(key)}&bucket=day&window=30d`, `/ui/reports?ip=${encodeURIComponent(key)}`, actions, ctx.config.REPUTATION_MIN_TRUST)}
${triageCard(await readCase(ctx.ds, 'ip', key), csrf, req, res)}
${await auditCard(ctx.ds, 'ip', key)}`,
  ['vendor/uplot/uPlot.iife.min.js', 'ui/chart.js']);
}

export async function tenantPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const parsed = tenantId.safeParse(req.params.id);
  if (!parsed.success) return badParameterPage(req, res, csrf, [{ field: 'id', message: parsed.error.issues[0]!.message }]);
  const id = parsed.data;
  const p = await tenantProfile(ctx.ds, id, halfLifeMs(ctx));
  const token = csrf.token(req, res);
  const here = `/ui/tenants/${encodeURIComponent(id)}`;
  const open = p.flag && !p.flag.clearedAt;
  const notified = await notificationsCard(ctx.ds, { tenant: id }, { token, returnTo: `${here}#notifications` });
  const actions = html`<section class="card" id="actions"><h2>Tenant flag</h2>
${open
    ? html`<p>Flagged since ${fmtTime(p.flag!.flaggedAt)} (score ${p.flag!.score.toFixed(2)}).</p>
${Array.isArray(p.flag!.reasons) ? html`<ul>${(p.flag!.reasons as unknown[]).map((r) => html`<li>${String(r)}</li>`)}</ul>` : ''}
${actionForm({ action: `${here}/clear-flag`, token, fields: reasonField(), button: 'Clear flag…' })}`
    : p.flag ? html`<p class="muted">Flag cleared ${fmtTime(p.flag.clearedAt)}.</p>` : html`<p class="muted">Not flagged.</p>`}
</section>`;
  sendPage(req, res, csrf, `Tenant ${id}`, html`
<h1>Tenant ${id} ${open ? html`<span class="badge listed">flagged ${fmtTime(p.flag!.flaggedAt)}</span>` : ''}</h1>
${takeFlash(req)}
${profileBody(p, `/v1/stats/timeseries?by=tenant&key=${encodeURIComponent(id)}&bucket=day&window=30d`, `/ui/reports?tenant=${encodeURIComponent(id)}`, actions, ctx.config.REPUTATION_MIN_TRUST)}
${notified}
${triageCard(await readCase(ctx.ds, 'tenant', id), csrf, req, res)}
${await auditCard(ctx.ds, 'tenant', id)}`,
  ['vendor/uplot/uPlot.iife.min.js', 'ui/chart.js']);
}
