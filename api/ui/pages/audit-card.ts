import type { DataSource } from 'typeorm';
import { html, type Html } from '../../web/html.ts';
import { subjectTrail, type AuditSubjectKind } from '../../actions/audit.ts';
import { fmtTime } from '../page.ts';
import { scrollTable } from '../list/scroll-table.ts';

/** The latest analyst actions on an IP or a tenant (analyst_audit), with a link to the whole log. */
export async function auditCard(ds: DataSource, kind: AuditSubjectKind, key: string): Promise<Html> {
  const rows = await subjectTrail(ds, kind, key, 10);
  const all = `/ui/audit?kind=${encodeURIComponent(kind)}&key=${encodeURIComponent(key)}`;
  return html`<section class="card" id="audit"><h2>Analyst actions</h2>
${rows.length === 0 ? html`<p class="muted">None yet.</p>` : scrollTable(html`<table class="compact"><thead><tr><th>When</th><th>Action</th><th>By</th><th>Reason</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td class="nowrap">${fmtTime(r.at)}</td><td>${r.action}</td><td>${r.actor}</td><td class="prewrap">${r.reason ?? ''}</td></tr>`)}</tbody></table>`, 'Analyst actions')}
<p><a href="${all}">All actions on this ${kind === 'ip' ? 'IP' : 'tenant'} →</a></p></section>`;
}
