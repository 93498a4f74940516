import type { Request, Response } from 'express';
import type { ApiContext } from '../context.ts';
import { html, type Html } from '../web/html.ts';
import type { CsrfKit } from '../ui/csrf.ts';
import { badParameterPage, fmtTime, sendPage } from '../ui/page.ts';
import { reportTable } from '../ui/pages/report-table.ts';
import { listReports } from '../analyst/report-query.ts';
import { triageCard } from '../triage/triage-card.ts';
import { isAppError } from '../../shared/errors/app-error.ts';
import { listCampaigns, type CampaignSummary } from './campaign-query.ts';
import { campaignDetail } from './campaign-detail.ts';
import { campaignIdParam, campaignListQuery } from './campaigns.schemas.ts';

const SCRIPTS = ['vendor/uplot/uPlot.iife.min.js', 'ui/chart.js'];

function flashOf(req: Request): Html | string {
  const flash = req.session.flash;
  delete req.session.flash;
  return flash ? html`<p class="${flash.startsWith('Error') ? 'errors' : 'notice'}" role="status">${flash}</p>` : '';
}

function facetList(items: { value: string; reports: number }[], link?: (v: string) => string): Html {
  if (items.length === 0) return html`<span class="muted">none</span>`;
  return html`${items.map((f, i) => html`${i ? ', ' : ''}${link ? html`<a class="mono" href="${link(f.value)}">${f.value}</a>` : html`<span class="mono">${f.value}</span>`} <span class="muted">(${f.reports})</span>`)}`;
}
const ipLink = (v: string) => `/ui/ips/${encodeURIComponent(v)}`;
const tenantLink = (v: string) => `/ui/tenants/${encodeURIComponent(v)}`;

/** The campaign table shared by the list page and the dashboard. Subjects are reported content: escaped text. */
export function campaignTable(items: CampaignSummary[]): Html {
  if (items.length === 0) return html`<p class="muted">No campaigns match.</p>`;
  return html`<div class="table-wrap"><table class="campaigns">
<thead><tr><th>Campaign</th><th>Subject</th><th class="num">Reports</th><th class="num">Reporters</th><th>Relay IPs</th><th>URL domains</th><th>Last seen</th><th>Status</th></tr></thead>
<tbody>${items.map((c) => html`<tr>
<td><a href="/ui/campaigns/${c.id}">#${c.id}</a></td>
<td class="subject">${c.subject ?? '(no subject)'}</td>
<td class="num">${c.reports}</td><td class="num">${c.reporters.total}</td>
<td class="mono clip">${c.counts.relayIps}${c.relayIps[0] ? html` · ${c.relayIps[0].value}` : ''}</td>
<td class="mono clip">${c.urlDomains.map((d) => d.value).join(', ')}</td>
<td class="nowrap">${fmtTime(c.lastSeen)}</td>
<td><span class="badge triage-${c.status}">${c.status}</span></td></tr>`)}</tbody></table></div>`;
}

/** `GET /ui/campaigns`: filters as a plain GET form (works without JavaScript), keyset "next page". */
export async function campaignsListPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const parsed = campaignListQuery.safeParse(req.query);
  const q = parsed.success ? parsed.data : campaignListQuery.parse({});
  let page: Awaited<ReturnType<typeof listCampaigns>>;
  try {
    page = await listCampaigns(ctx.ds, q);
  } catch (err) {
    if (!isAppError(err)) throw err;
    page = { items: [], nextCursor: null };
  }
  const keep = new URLSearchParams(Object.entries(q).filter(([k, v]) => k !== 'cursor' && v !== undefined).map(([k, v]) => [k, String(v)]));
  const sel = (name: string, values: readonly string[], current?: string) =>
    html`<select name="${name}">${name === 'status' ? html`<option value="">any</option>` : ''}${values.map((v) => html`<option value="${v}"${v === current ? html` selected` : ''}>${v}</option>`)}</select>`;
  sendPage(req, res, csrf, 'Campaigns', html`
<h1>Campaigns</h1>
${parsed.success ? '' : html`<p class="errors">Some filters were not valid and were ignored.</p>`}
<form method="get" action="/ui/campaigns" class="filters">
<label>Sort ${sel('sort', ['lastSeen', 'reports', 'reporters'], q.sort)}</label>
<label>Status ${sel('status', ['new', 'investigating', 'actioned', 'false-positive'], q.status)}</label>
<label>IP <input name="ip" value="${q.ip ?? ''}" maxlength="64"></label>
<label>URL domain <input name="domain" value="${q.domain ?? ''}" maxlength="253"></label>
<label>Tenant <input name="tenant" value="${q.tenant ?? ''}" maxlength="100"></label>
<button type="submit">Filter</button></form>
<section class="card">${campaignTable(page.items)}
${page.nextCursor ? html`<p><a href="/ui/campaigns?${keep.toString()}&amp;cursor=${encodeURIComponent(page.nextCursor)}">Next page →</a></p>` : ''}</section>`);
}

/** `GET /ui/campaigns/:id`: counts, chart, facets, sample subjects, triage, merge, and its reports with a split button each. */
export async function campaignPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const id = campaignIdParam.safeParse(req.params);
  if (!id.success) return badParameterPage(req, res, csrf, [{ field: 'id', message: 'must be a campaign id (digits)' }]);
  let d: Awaited<ReturnType<typeof campaignDetail>> | null = null;
  try {
    d = await campaignDetail(ctx.ds, id.data.id, 'hour', '7d');
  } catch (err) {
    if (!isAppError(err) || err.code !== 'not_found') throw err;
  }
  if (!d) {
    res.status(404);
    return sendPage(req, res, csrf, 'Not found', html`<h1>No such campaign</h1><p><a href="/ui/campaigns">Back to campaigns</a></p>`);
  }
  if (d.mergedInto) return res.redirect(303, `/ui/campaigns/${d.mergedInto}`);
  const reports = await listReports(ctx.ds, { campaign: d.id }, 50);
  const token = csrf.token(req, res);
  const r = d.reporters;
  sendPage(req, res, csrf, `Campaign #${d.id}`, html`
<p class="crumbs"><a href="/ui/campaigns">Campaigns</a> ›</p>
<h1 class="subject-title">Campaign #${d.id}: ${d.subject ?? '(no subject)'}</h1>
${flashOf(req)}
<div class="kpis">
<div class="kpi"><span class="kpi-n">${d.reports}</span><span class="kpi-l">reports</span></div>
<div class="kpi"><span class="kpi-n">${r.total}</span><span class="kpi-l">reporters (${r.feed} feed · ${r.platform} platform · ${r.verified} verified · ${r.anonymous} anonymous)</span></div>
<div class="kpi"><span class="kpi-n">${fmtTime(d.firstSeen)}</span><span class="kpi-l">first seen</span></div>
<div class="kpi"><span class="kpi-n">${fmtTime(d.lastSeen)}</span><span class="kpi-l">last seen</span></div>
</div>
<section class="card"><h2>Reports per hour, 7 days to the last report</h2>
<div class="chart" data-src="/v1/campaigns/${d.id}?bucket=hour&amp;window=7d" role="img" aria-label="Reports per hour"></div></section>
<div class="grid2">
<section class="card"><h2>Where it comes from</h2><dl class="kv">
<dt>Relay IPs (${d.counts.relayIps})</dt><dd>${facetList(d.relayIps, ipLink)}</dd>
<dt>Originating IPs (${d.counts.originatingIps})</dt><dd>${facetList(d.originatingIps, ipLink)}</dd>
<dt>Tenants (${d.counts.tenants})</dt><dd>${facetList(d.tenants, tenantLink)}</dd>
<dt>URL domains (${d.counts.urlDomains})</dt><dd>${facetList(d.urlDomains)}</dd>
</dl>
<h3>Sample subjects</h3>${d.sampleSubjects.length ? html`<ul>${d.sampleSubjects.map((s) => html`<li>${s.subject} <span class="muted">(${s.reports})</span></li>`)}</ul>` : html`<p class="muted">none</p>`}
</section>
${triageCard(d.triage, csrf, req, res)}
</div>
<section class="card"><h2>Merge another campaign into this one</h2>
<form method="post" action="/ui/campaigns/${d.id}/merge" class="inline"><input type="hidden" name="_csrf" value="${token}">
<label>Campaign id <input name="from" inputmode="numeric" pattern="[0-9]{1,18}" required maxlength="18"></label> <button type="submit">Merge</button></form></section>
<section class="card"><h2>Reports (newest 50)</h2>${reportTable(reports.items)}
${reports.items.length > 1 ? html`<details><summary>Split a report out into a campaign of its own</summary>
<form method="post" action="/ui/campaigns/${d.id}/split" class="inline"><input type="hidden" name="_csrf" value="${token}">
<label>Report <select name="reportId">${reports.items.map((i) => html`<option value="${i.id}">${fmtTime(i.receivedAt)} · ${(i.subject ?? '').slice(0, 60)}</option>`)}</select></label>
<button type="submit">Split out</button></form></details>` : ''}
<p><a href="/ui/reports?campaign=${d.id}">All its reports →</a></p></section>`, SCRIPTS);
}
