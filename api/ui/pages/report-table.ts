import { html, type Html } from '../../web/html.ts';
import type { ReportSummary } from '../../analyst/report-query.ts';
import { fmtTime } from '../page.ts';
import { trustAtLeast, type ReporterTrust } from '../../../shared/trust/reporter-trust.ts';

/**
 * The reporter's trust as a badge: `unverified` for a report below REPUTATION_MIN_TRUST (kept and
 * shown, counts for nothing), else the trust level.
 */
export function trustBadge(trust: ReporterTrust, minTrust: ReporterTrust): Html {
  return trustAtLeast(trust, minTrust)
    ? html`<span class="badge trust-${trust}" title="reporter trust: ${trust}">${trust}</span>`
    : html`<span class="badge unverified" title="reporter trust: ${trust}; does not move reputation">unverified</span>`;
}

/** The report result table used by search, IP and tenant pages. Every cell is escaped text. */
export function reportTable(items: ReportSummary[], minTrust: ReporterTrust = 'verified'): Html {
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
<td>${r.kind}${r.feedbackType ? html` <span class="muted">${r.feedbackType}</span>` : ''} ${trustBadge(r.reporterTrust, minTrust)}</td>
</tr>`)}</tbody></table></div>`;
}
