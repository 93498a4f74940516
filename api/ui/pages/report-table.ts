import { html, type Html } from '../../web/html.ts';
import type { ReportSummary } from '../../analyst/report-query.ts';
import { fmtTime } from '../page.ts';

/** The report result table used by search, IP and tenant pages. Every cell is escaped text. */
export function reportTable(items: ReportSummary[]): Html {
  if (items.length === 0) return html`<p class="muted">No reports match.</p>`;
  return html`<div class="table-wrap"><table class="reports">
<thead><tr><th>Received</th><th>Subject</th><th>From</th><th>Direction</th><th>Relay IP</th><th>Originating IP</th><th>Tenant</th><th>Kind</th></tr></thead>
<tbody>${items.map((r) => html`<tr>
<td class="nowrap">${fmtTime(r.receivedAt)}</td>
<td class="subject"><a href="/ui/reports/${r.id}">${r.subject ?? '(no subject)'}</a></td>
<td class="mono clip">${r.from ?? ''}</td>
<td><span class="badge dir-${r.direction}">${r.direction}</span></td>
<td class="mono">${r.relayIp ? html`<a href="/ui/ips/${encodeURIComponent(r.relayIp)}">${r.relayIp}</a>` : ''}</td>
<td class="mono">${r.originatingIp ? html`<a href="/ui/ips/${encodeURIComponent(r.originatingIp)}">${r.originatingIp}</a>` : ''}</td>
<td>${r.tenant ? html`<a href="/ui/tenants/${encodeURIComponent(r.tenant)}">${r.tenant}</a> <span class="muted">${r.tenantConfidence ?? ''}</span>` : ''}</td>
<td>${r.kind}${r.feedbackType ? html` <span class="muted">${r.feedbackType}</span>` : ''}</td>
</tr>`)}</tbody></table></div>`;
}
