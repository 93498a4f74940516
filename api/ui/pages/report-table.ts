import { html, type Html } from '../../web/html.ts';
import type { ReportSummary } from '../../analyst/report-query.ts';
import { fmtTime } from '../page.ts';
import { trustAtLeast, type ReporterTrust } from '../../../shared/trust/reporter-trust.ts';
import { excerpt } from '../list/excerpt.ts';
import { scrollTable } from '../list/scroll-table.ts';

/** How much of a reporter's description a list shows; the report page shows all of it. */
export const DESCRIPTION_EXCERPT = 100;

/**
 * The reporter's trust as a badge: `unverified` for a report below REPUTATION_MIN_TRUST (kept and
 * shown, counts for nothing), else the trust level.
 */
export function trustBadge(trust: ReporterTrust, minTrust: ReporterTrust): Html {
  return trustAtLeast(trust, minTrust)
    ? html`<span class="badge trust-${trust}" title="reporter trust: ${trust}">${trust}</span>`
    : html`<span class="badge unverified" title="reporter trust: ${trust}; does not move reputation">unverified</span>`;
}

/**
 * The report result table used by search, IP and tenant pages. Every cell is escaped text; the
 * reporter's category and description (web form, API) are reporter-written, shown as text, and
 * the description is cut to an excerpt with the full text on the report page.
 */
export function reportTable(items: ReportSummary[], minTrust: ReporterTrust = 'verified'): Html {
  if (items.length === 0) return html`<p class="muted">No reports match.</p>`;
  return scrollTable(html`<table class="reports">
<thead><tr><th>Received</th><th>Subject</th><th>From</th><th>Channel</th><th>Reporter's note</th><th>Direction</th><th>Relay IP</th><th>Originating IP</th><th>Tenant</th><th>Kind</th></tr></thead>
<tbody>${items.map((r) => {
    const note = excerpt(r.description, DESCRIPTION_EXCERPT);
    return html`<tr>
<td class="nowrap">${fmtTime(r.receivedAt)}</td>
<td class="subject"><a href="/ui/reports/${r.id}">${r.subject ?? '(no subject)'}</a></td>
<td class="mono clip">${r.from ?? ''}</td>
<td class="nowrap">${r.channel}${r.category ? html` <span class="badge category">${r.category}</span>` : ''}</td>
<td class="note">${note.text ? html`<span class="description">${note.text}</span>${note.cut ? html` <a href="/ui/reports/${r.id}#submission" class="more">full text</a>` : ''}` : ''}</td>
<td><span class="badge dir-${r.direction}">${r.direction}</span></td>
<td class="mono">${r.relayIp ? html`<a href="/ui/ips/${encodeURIComponent(r.relayIp)}">${r.relayIp}</a>` : ''}</td>
<td class="mono">${r.originatingIp ? html`<a href="/ui/ips/${encodeURIComponent(r.originatingIp)}">${r.originatingIp}</a>` : ''}</td>
<td>${r.tenant ? html`<a href="/ui/tenants/${encodeURIComponent(r.tenant)}">${r.tenant}</a> <span class="muted">${r.tenantConfidence ?? ''}</span>` : ''}</td>
<td>${r.kind}${r.feedbackType ? html` <span class="muted">${r.feedbackType}</span>` : ''} ${trustBadge(r.reporterTrust, minTrust)}</td>
</tr>`;
  })}</tbody></table>`, 'Reports');
}
