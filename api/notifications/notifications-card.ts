import type { DataSource } from 'typeorm';
import { html, type Html } from '../web/html.ts';
import { listNotifications } from './notification-views.ts';

/**
 * The analyst UI's view of notifications (tenant page, report page): what was sent, its status,
 * and the tenant's answers (a disputed one flagged until reviewed). Actions are in the API
 * (docs/notifications.md); the lists are reworked with the rest of the analyst UI later.
 */
export async function notificationsCard(ds: DataSource, where: { tenant: string } | { report: string }): Promise<Html> {
  const list = 'tenant' in where
    ? await listNotifications(ds, 'n.tenant_id = $1', [where.tenant], 50)
    : await listNotifications(ds, '$1::uuid = ANY(n.report_ids)', [where.report], 50);
  const [state]: { paused_at: Date | null }[] = 'tenant' in where ? await ds.query(`SELECT paused_at FROM notify_state WHERE tenant_id = $1`, [where.tenant]) : [];
  return html`<section class="card" id="notifications"><h2>Notifications to the tenant${state?.paused_at ? html` <span class="badge bad">paused</span>` : ''}</h2>
${list.length === 0 ? html`<p class="muted">None sent.</p>` : html`<div class="table-wrap"><table class="compact"><thead><tr><th>Created</th><th>Channel</th><th>Status</th><th>To</th><th>Reports</th><th>Answers</th></tr></thead><tbody>
${list.map((n) => html`<tr><td class="nowrap">${n.createdAt.slice(0, 16).replace('T', ' ')}</td><td>${n.channel}${n.trigger === 'manual' ? ' (manual)' : ''}</td>
<td><span class="badge${n.status === 'failed' ? ' bad' : n.status === 'sent' ? ' ok' : ''}">${n.status}</span>${n.lastError ? html`<div class="muted clip">${n.lastError}</div>` : ''}</td>
<td class="mono">${n.recipients.join(', ')}</td><td>${n.reportIds.length}</td>
<td>${n.answers.map((a) => html`<div><span class="badge${a.answer === 'disputed' && !a.reviewedAt ? ' bad' : ''}">${a.answer}</span> ${a.comment}</div>`)}</td></tr>`)}
</tbody></table></div>`}</section>`;
}
