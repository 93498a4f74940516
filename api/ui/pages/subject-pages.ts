import type { Request, Response } from 'express';
import type { ApiContext } from '../../context.ts';
import { html, type Html } from '../../web/html.ts';
import { ipProfile, tenantProfile, type SubjectProfile } from '../../analyst/subject-query.ts';
import { halfLifeMs } from '../../analyst/subject.routes.ts';
import type { CsrfKit } from '../csrf.ts';
import { badParameterPage, fmtTime, sendPage } from '../page.ts';
import { ipAddress, tenantId } from '../../edge/params.ts';
import { reportTable } from './report-table.ts';
import { readCase } from '../../triage/triage-store.ts';
import { triageCard } from '../../triage/triage-card.ts';
import type { ReporterTrust } from '../../../shared/trust/reporter-trust.ts';
import { notificationsCard } from '../../notifications/notifications-card.ts';

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
<section class="card"><h2>Listing history</h2>${p.history.length ? html`<table class="compact"><thead><tr><th>When</th><th>Action</th><th>Why</th><th>By</th></tr></thead><tbody>
${p.history.map((h) => html`<tr><td class="nowrap">${fmtTime(h.at)}</td><td>${h.action}</td><td>${h.reason}</td><td>${h.actor}</td></tr>`)}</tbody></table>` : html`<p class="muted">No listing events.</p>`}
${actions}</section>
</div>
<section class="card"><h2>Recent reports</h2>${reportTable(p.reports.recent, minTrust)}<p><a href="${filterLink}">All reports →</a></p></section>`;
}

export async function ipPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const parsed = ipAddress.safeParse(req.params.ip);
  if (!parsed.success) return badParameterPage(req, res, csrf, [{ field: 'ip', message: parsed.error.issues[0]!.message }]);
  const ip = parsed.data;
  const p = await ipProfile(ctx.ds, ip, halfLifeMs(ctx));
  const listed = p.listing?.listed;
  const flash = req.session.flash;
  delete req.session.flash;
  const actions = listed
    ? html`<form method="post" action="/ui/ips/${encodeURIComponent(p.subject.key)}/unlist" class="inline">
<input type="hidden" name="_csrf" value="${csrf.token(req, res)}">
<label>Reason <input name="reason" required minlength="3" maxlength="1000" size="32" placeholder="why (kept in the history)"></label>
<button type="submit" class="danger">Remove listing</button></form>`
    : html`<p class="muted">To list this IP by hand: <code>POST /v1/listings/${p.subject.key}</code> with a reason.</p>`;
  sendPage(req, res, csrf, `IP ${p.subject.key}`, html`
<h1>IP <span class="mono">${p.subject.key}</span> ${listed ? html`<span class="badge listed">listed since ${fmtTime(p.listing!.listedAt)}</span>` : p.listing ? html`<span class="badge ok">not listed</span>` : ''}
${p.reputation?.platform ? html`<span class="badge">platform address</span>` : ''}</h1>
${flash ? html`<p class="${flash.startsWith('Error') ? 'errors' : 'notice'}" role="status">${flash}</p>` : ''}
${profileBody(p, `/v1/stats/timeseries?ip=${encodeURIComponent(p.subject.key)}&bucket=day&window=30d`, `/ui/reports?ip=${encodeURIComponent(p.subject.key)}`, actions, ctx.config.REPUTATION_MIN_TRUST)}
${triageCard(await readCase(ctx.ds, 'ip', p.subject.key), csrf, req, res)}`,
  ['vendor/uplot/uPlot.iife.min.js', 'ui/chart.js']);
}

export async function tenantPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const parsed = tenantId.safeParse(req.params.id);
  if (!parsed.success) return badParameterPage(req, res, csrf, [{ field: 'id', message: parsed.error.issues[0]!.message }]);
  const id = parsed.data;
  const p = await tenantProfile(ctx.ds, id, halfLifeMs(ctx));
  const notified = await notificationsCard(ctx.ds, { tenant: id });
  const flash = req.session.flash;
  delete req.session.flash;
  sendPage(req, res, csrf, `Tenant ${id}`, html`
<h1>Tenant ${id} ${p.flag && !p.flag.clearedAt ? html`<span class="badge listed">flagged ${fmtTime(p.flag.flaggedAt)}</span>` : ''}</h1>
${flash ? html`<p class="${flash.startsWith('Error') ? 'errors' : 'notice'}" role="status">${flash}</p>` : ''}
${profileBody(p, `/v1/stats/timeseries?by=tenant&key=${encodeURIComponent(id)}&bucket=day&window=30d`, `/ui/reports?tenant=${encodeURIComponent(id)}`, '', ctx.config.REPUTATION_MIN_TRUST)}
${notified}
${triageCard(await readCase(ctx.ds, 'tenant', id), csrf, req, res)}`,
  ['vendor/uplot/uPlot.iife.min.js', 'ui/chart.js']);
}

/** The delist queue: requests the rules left to an analyst, each with an approve/deny form (CSRF-protected). */
export async function delistPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const rows: { id: string; ip: string; email: string; created_at: Date; reasons: unknown }[] = await ctx.ds.query(
    `SELECT id, host(ip) AS ip, email, created_at, reasons FROM delist_requests WHERE status = 'queued' ORDER BY created_at LIMIT 200`,
  );
  const flash = req.session.flash;
  delete req.session.flash;
  const token = csrf.token(req, res);
  sendPage(req, res, csrf, 'Delist queue', html`<h1>Delist requests waiting for an analyst</h1>
${flash ? html`<p class="${flash.startsWith('Error') ? 'errors' : 'notice'}" role="status">${flash}</p>` : ''}
${rows.length === 0 ? html`<p class="card muted">Nothing is waiting.</p>` : html`<table><thead><tr><th>Requested</th><th>IP</th><th>Contact</th><th>Why it needs a decision</th><th>Decision</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td class="nowrap">${fmtTime(r.created_at)}</td><td><a class="mono" href="/ui/ips/${encodeURIComponent(r.ip)}">${r.ip}</a></td><td class="mono">${r.email}</td>
<td>${Array.isArray(r.reasons) ? r.reasons.map((x) => html`<div>${String(x)}</div>`) : ''}</td>
<td><form method="post" action="/ui/delist/${r.id}/decision" class="decision">
<input type="hidden" name="_csrf" value="${token}">
<label>Reason <input name="reason" required minlength="3" maxlength="1000" placeholder="why (kept in the history)"></label>
<span><button type="submit" name="decision" value="approve">Approve</button> <button type="submit" name="decision" value="deny" class="danger">Deny</button></span>
</form></td></tr>`)}</tbody></table>`}`);
}
