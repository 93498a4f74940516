import { notificationsCard } from '../../notifications/notifications-card.ts';
import type { Request, Response } from 'express';
import type { Hop } from '../../../shared/analysis/types.ts';
import { Report } from '../../../shared/db/entities/index.ts';
import type { ApiContext } from '../../context.ts';
import { html, type Html } from '../../web/html.ts';
import type { CsrfKit } from '../csrf.ts';
import { badParameterPage, fmtTime, sendPage } from '../page.ts';
import { submissionFallback } from './submission-page.ts';
import { messageView } from './message-view.ts';
import { servedMessages, shown } from '../../privacy/served-message.ts';
import { trustBadge } from './report-table.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The hop that ended the walk, for rows stored before `deciding_hop` existed: the topmost hop
 * carrying the originating IP, else the lowest hop carrying the relay IP.
 */
export function decidingHop(hops: Hop[], relayIp: string | null, originatingIp: string | null): number | null {
  const orig = originatingIp ? hops.findIndex((h) => h.ip === originatingIp) : -1;
  if (orig !== -1) return orig;
  if (!relayIp) return null;
  for (let i = hops.length - 1; i >= 0; i--) if (hops[i]!.ip === relayIp) return i;
  return null;
}

function size(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * What the reporter told us besides the message (web form, API): the category and the whole
 * description, reporter-written text shown escaped, line breaks kept.
 */
function submissionCard(submissionId: string, channel: string, category: string | null, description: string | null): Html {
  return html`<section class="card" id="submission"><h2>Reporter's submission</h2><dl class="kv">
<dt>Submission</dt><dd class="mono">${submissionId}</dd>
<dt>Channel</dt><dd>${channel}</dd>
<dt>Category</dt><dd>${category ? html`<span class="badge category">${category}</span>` : html`<span class="muted">none given</span>`}</dd>
<dt>Description</dt><dd>${description ? html`<div class="prewrap description-full">${description}</div>` : html`<span class="muted">none given</span>`}</dd>
</dl></section>`;
}

/** One report: attribution, hops, evidence, ARF fields, headers and body — all as escaped text. */
export async function reportDetailPage(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response): Promise<void> {
  const id = String(req.params.id).toLowerCase();
  if (!UUID.test(id)) return badParameterPage(req, res, csrf, [{ field: 'id', message: 'must be a UUID such as 6f1c2d4e-8a5b-4c3d-9e2f-0a1b2c3d4e5f' }]);
  const r = await ctx.ds.getRepository(Report).findOneBy({ id });
  if (!r && (await submissionFallback(ctx, csrf, req, res, id))) return;
  if (!r) {
    res.status(404);
    return sendPage(req, res, csrf, 'Not found', html`<h1>No such report</h1><p><a href="/ui/reports">Back to reports</a></p>`);
  }
  const [sub]: { category: string | null; description: string | null }[] = await ctx.ds.query(
    `SELECT s.category, s.description FROM submissions s WHERE s.id = $1`,
    [r.submissionId],
  );
  // Past PSEUDONYMISE_DAYS the reporter's address is replaced by its pseudonym in what is shown (api/privacy).
  const served = await servedMessages(ctx).forReport(r.id);
  const view = served?.content ? await messageView(served.content, r.kind, r.idx) : null;
  const msg = view && { ...view, headers: shown(view.headers, served!.hidden), text: shown(view.text, served!.hidden), htmlSource: shown(view.htmlSource, served!.hidden) };
  const hops = (Array.isArray(r.hops) ? r.hops : []) as Hop[];
  const deciding = r.decidingHop ?? decidingHop(hops, r.relayIp, r.originatingIp);
  const ipLink = (ip: string | null) => (ip ? html`<a class="mono" href="/ui/ips/${encodeURIComponent(ip)}">${ip}</a>` : html`<span class="muted">none</span>`);
  const notified = r.tenantId ? await notificationsCard(ctx.ds, { report: r.id }) : '';
  const arf = r.arf ? Object.entries(r.arf).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)) : [];

  sendPage(req, res, csrf, r.subject ?? 'Report', html`
<p class="crumbs"><a href="/ui/reports">Reports</a> ›</p>
<h1 class="subject-title">${r.subject ?? '(no subject)'}</h1>
<div class="grid2">
<section class="card"><h2>Attribution</h2><dl class="kv">
<dt>Direction</dt><dd><span class="badge dir-${r.direction}">${r.direction}</span>${r.viaPlatform ? ' via platform' : ''}</dd>
<dt>Originating IP</dt><dd>${ipLink(r.originatingIp)}</dd>
<dt>Relay IP</dt><dd>${ipLink(r.relayIp)}</dd>
<dt>Tenant</dt><dd>${r.tenantId ? html`<a href="/ui/tenants/${encodeURIComponent(r.tenantId)}">${r.tenantId}</a> <span class="badge">${r.tenantConfidence ?? ''}</span>` : html`<span class="muted">none</span>`}
${r.conflict ? html` <span class="badge bad">conflicting signals</span>` : ''}</dd>
${r.recipientTenantId ? html`<dt>Recipient tenant</dt><dd>${r.recipientTenantId}</dd>` : ''}
</dl></section>
<section class="card"><h2>Message</h2><dl class="kv">
<dt>From</dt><dd class="mono">${r.fromAddress ?? ''}</dd>
<dt>Message-ID</dt><dd class="mono clip">${r.messageId ?? ''}</dd>
<dt>Date</dt><dd>${fmtTime(r.sentAt)}</dd>
<dt>Received</dt><dd>${fmtTime(r.receivedAt)} via ${r.channel} · ${r.kind}${r.feedbackType ? ` · ${r.feedbackType}` : ''}</dd>
<dt>Reporter</dt><dd class="mono">${r.reporter ?? ''}</dd>
<dt>Reporter trust</dt><dd id="reporter-trust">${trustBadge(r.reporterTrust, ctx.config.REPUTATION_MIN_TRUST)}</dd>
<dt>Campaign</dt><dd>${r.campaignId ? html`<a href="/ui/campaigns/${r.campaignId}">#${r.campaignId}</a>` : html`<span class="muted">none</span>`}</dd>
<dt>Original</dt><dd><a href="/v1/reports/${r.id}/raw" download>Download .eml</a></dd>
</dl></section>
</div>
${submissionCard(r.submissionId, r.channel, sub?.category ?? null, sub?.description ?? null)}
<section class="card"><h2>Evidence trail</h2>
${r.evidence.length ? html`<ol class="evidence">${r.evidence.map((e) => html`<li>${e}</li>`)}</ol>` : html`<p class="muted">No evidence recorded.</p>`}</section>
<section class="card"><h2>Received hops</h2>
${hops.length === 0 ? html`<p class="muted">No parsed hops.</p>` : html`<div class="table-wrap"><table class="hops">
<thead><tr><th>#</th><th>From IP</th><th>rDNS / HELO</th><th>By</th><th>With</th><th>Date</th></tr></thead>
<tbody>${hops.map((h, i) => html`<tr${i === deciding ? html` class="highlight" aria-current="true" title="this hop ended the walk"` : ''}>
<td>${i}${i === deciding ? html` <span class="badge">decided</span>` : ''}</td><td class="mono">${h.ip ?? ''}</td><td class="mono clip">${h.rdns ?? ''}${h.helo ? ` / ${h.helo}` : ''}</td>
<td class="mono clip">${h.by ?? ''}</td><td>${h.protocol ?? ''}</td><td class="nowrap">${h.date ? fmtTime(h.date) : ''}</td></tr>`)}
</tbody></table></div>`}</section>
${arf.length ? html`<section class="card"><h2>Feedback report (ARF) fields</h2><dl class="kv">
${arf.map(([k, v]) => html`<dt>${k}</dt><dd class="mono">${typeof v === 'string' ? v : JSON.stringify(v)}</dd>`)}</dl></section>` : ''}
${msg ? html`
<section class="card"><h2>Headers</h2><pre>${msg.headers}</pre></section>
${msg.error ? html`<p class="errors">The message could not be parsed: ${msg.error}</p>` : ''}
<section class="card"><h2>Body (plain text)</h2>${msg.text ? html`<pre>${msg.text}</pre>` : html`<p class="muted">No text part.</p>`}</section>
${msg.htmlSource ? html`<section class="card"><h2>HTML part (escaped source, not rendered)</h2><details><summary>Show source</summary><pre>${msg.htmlSource}</pre></details></section>` : ''}
<section class="card"><h2>Attachments</h2>${msg.attachments.length ? html`<table class="compact"><thead><tr><th>Name</th><th>Type</th><th>Size</th></tr></thead><tbody>
${msg.attachments.map((a) => html`<tr><td class="mono">${a.filename ?? '(unnamed)'}</td><td class="mono">${a.contentType}</td><td>${size(a.size)}</td></tr>`)}</tbody></table>`
    : html`<p class="muted">None.</p>`}</section>` : html`<p class="muted">The original message was removed by retention.</p>`}
${notified}`);
}
