import type { Request, Response } from 'express';
import type { ApiContext } from '../../context.ts';
import { html } from '../../web/html.ts';
import { topN } from '../../analyst/stats-query.ts';
import type { CsrfKit } from '../csrf.ts';
import { fmtTime, sendPage } from '../page.ts';
import { campaignDashboardCards } from '../../campaigns/campaign-dashboard.ts';

async function tableExists(ctx: ApiContext, name: string): Promise<boolean> {
  const [row]: { t: string | null }[] = await ctx.ds.query(`SELECT to_regclass($1)::text AS t`, [name]);
  return !!row?.t;
}

/** Dashboard: reports per hour (uPlot, drawn by static/dashboard.js), top 24 h, listings, delist queue, queue health. */
export async function dashboardPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const [relays, tenants, domains] = await Promise.all([
    topN(ctx.ds, 'relayIp', '24h', 10),
    topN(ctx.ds, 'tenant', '24h', 10),
    topN(ctx.ds, 'domain', '24h', 10),
  ]);
  // From the hourly rollup: counting a week of report rows is too slow at scale (whole hours).
  const [totals]: { d1: number; d7: number }[] = await ctx.ds.query(
    `SELECT coalesce(sum(n) FILTER (WHERE hour > now() - interval '24 hours'), 0)::int AS d1, coalesce(sum(n), 0)::int AS d7
       FROM report_hourly WHERE hour > now() - interval '7 days'`,
  );
  const reputation = await tableExists(ctx, 'listings');
  const listings: { ip: string; listed_at: Date }[] = reputation
    ? await ctx.ds.query(`SELECT host(ip) AS ip, listed_at FROM listings ORDER BY listed_at DESC LIMIT 10`)
    : [];
  const [{ listed, waiting }] = reputation
    ? await ctx.ds.query(`SELECT (SELECT count(*)::int FROM listings) AS listed,
                                 (SELECT count(*)::int FROM delist_requests WHERE status = 'queued') AS waiting`)
    : [{ listed: 0, waiting: 0 }];
  const pending: { id: string; ip: string; created_at: Date }[] = reputation
    ? await ctx.ds.query(`SELECT id, host(ip) AS ip, created_at FROM delist_requests WHERE status = 'queued' ORDER BY created_at LIMIT 10`)
    : [];
  let queue: Record<string, number> | null = null;
  try {
    queue = await ctx.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
  } catch {
    queue = null;
  }

  const top = (title: string, items: { key: string; count: number }[], link: (k: string) => string) => html`<section class="card">
<h2>${title}</h2>
${items.length === 0 ? html`<p class="muted">No reports in the last 24 hours.</p>` : html`<table class="compact"><tbody>
${items.map((i) => html`<tr><td><a href="${link(i.key)}">${i.key}</a></td><td class="num">${i.count}</td></tr>`)}
</tbody></table>`}</section>`;

  sendPage(req, res, csrf, 'Dashboard', html`
<div class="page-head"><h1>Dashboard</h1>
<div class="kpis">
<div class="kpi"><span class="kpi-n">${totals?.d1 ?? 0}</span><span class="kpi-l">reports 24 h</span></div>
<div class="kpi"><span class="kpi-n">${totals?.d7 ?? 0}</span><span class="kpi-l">reports 7 d</span></div>
<a class="kpi" href="/ui/listings"><span class="kpi-n">${listed}</span><span class="kpi-l">IPs listed</span></a>
<a class="kpi" href="/ui/delist"><span class="kpi-n">${waiting}</span><span class="kpi-l">delist requests waiting</span></a>
</div></div>
<section class="card"><h2>Reports per hour, last 7 days</h2>
<div id="chart" class="chart" data-src="/v1/stats/timeseries?bucket=hour&amp;window=7d" role="img" aria-label="Reports per hour, last 7 days"></div></section>
${await campaignDashboardCards(ctx.ds)}
<div class="grid3">
${top('Top relay IPs · 24 h', relays.items, (k) => `/ui/ips/${encodeURIComponent(k)}`)}
${top('Top tenants · 24 h', tenants.items, (k) => `/ui/tenants/${encodeURIComponent(k)}`)}
${top('Top sender domains · 24 h', domains.items, (k) => `/ui/reports?q=${encodeURIComponent(k)}`)}
</div>
<div class="grid3">
<section class="card"><h2>Current listings</h2>
${!reputation ? html`<p class="muted">Reputation tables not installed.</p>` : listings.length === 0 ? html`<p class="muted">No IP is listed.</p>` : html`<table class="compact"><tbody>
${listings.map((l) => html`<tr><td><a href="/ui/ips/${encodeURIComponent(l.ip)}">${l.ip}</a></td><td class="muted">${fmtTime(l.listed_at)}</td></tr>`)}</tbody></table>`}
<p><a href="/ui/listings">All listings</a></p></section>
<section class="card"><h2>Pending delist requests</h2>
${pending.length === 0 ? html`<p class="muted">Nothing waiting for a decision.</p>` : html`<table class="compact"><tbody>
${pending.map((p) => html`<tr><td><a href="/ui/ips/${encodeURIComponent(p.ip)}">${p.ip}</a></td><td class="muted">${fmtTime(p.created_at)}</td></tr>`)}</tbody></table>`}
<p><a href="/ui/delist">Open the delist queue</a></p></section>
<section class="card"><h2>Queue health</h2>
${queue ? html`<table class="compact"><tbody>${Object.entries(queue).map(([k, v]) => html`<tr><td>${k}</td><td class="num${k === 'failed' && v > 0 ? ' bad' : ''}">${v}</td></tr>`)}</tbody></table>`
    : html`<p class="errors">Redis is unreachable: queue state unknown.</p>`}
${req.session.user!.role === 'admin' ? html`<p><a href="/admin/queues">Bull Board</a></p>` : ''}</section>
</div>`, ['vendor/uplot/uPlot.iife.min.js', 'ui/chart.js']);
}
