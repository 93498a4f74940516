import type { DataSource } from 'typeorm';
import { html, type Html } from '../web/html.ts';
import { listNotifications } from './notification-views.ts';
import { actionForm } from '../ui/actions/confirm-action.ts';

/** What a card needs to offer actions: the page's CSRF token and where to come back to. */
export interface CardControls {
  token: string;
  returnTo: string;
}

/**
 * The analyst UI's view of notifications (tenant page, report page): what was sent, its status,
 * and the tenant's answers (a disputed one flagged until reviewed). With `controls`: a failed or
 * held notification gets a re-drive button, and the tenant page a pause / resume form; both ask
 * for confirmation (api/ui/actions/).
 */
export async function notificationsCard(ds: DataSource, where: { tenant: string } | { report: string }, controls?: CardControls): Promise<Html> {
  const list = 'tenant' in where
    ? await listNotifications(ds, 'n.tenant_id = $1', [where.tenant], 50)
    : await listNotifications(ds, '$1::uuid = ANY(n.report_ids)', [where.report], 50);
  const [state]: { paused_at: Date | null }[] = 'tenant' in where ? await ds.query(`SELECT paused_at FROM notify_state WHERE tenant_id = $1`, [where.tenant]) : [];
  const paused = Boolean(state?.paused_at);
  const redrive = (id: string) => controls
    ? actionForm({ action: `/ui/notifications/${id}/redrive`, token: controls.token, returnTo: controls.returnTo, button: 'Re-drive…', className: 'inline action compact' })
    : '';
  const pauseForm = controls && 'tenant' in where
    ? actionForm({
        action: `/ui/tenants/${encodeURIComponent(where.tenant)}/notifications/${paused ? 'resume' : 'pause'}`,
        token: controls.token,
        returnTo: controls.returnTo,
        fields: html`<label>Reason (optional) <input name="reason" maxlength="1000" size="24"></label>`,
        button: paused ? 'Resume notifications…' : 'Pause notifications…',
      })
    : '';
  return html`<section class="card" id="notifications"><h2>Notifications to the tenant${paused ? html` <span class="badge bad">paused</span>` : ''}</h2>
${pauseForm}
${list.length === 0 ? html`<p class="muted">None sent.</p>` : html`<div class="table-wrap" role="region" aria-label="Notifications" tabindex="0"><table class="compact"><thead><tr><th>Created</th><th>Channel</th><th>Status</th><th>To</th><th>Reports</th><th>Answers</th></tr></thead><tbody>
${list.map((n) => html`<tr><td class="nowrap">${n.createdAt.slice(0, 16).replace('T', ' ')}</td><td>${n.channel}${n.trigger === 'manual' ? ' (manual)' : ''}</td>
<td><span class="badge${n.status === 'failed' ? ' bad' : n.status === 'sent' ? ' ok' : ''}">${n.status}</span>${n.lastError ? html`<div class="muted clip">${n.lastError}</div>` : ''}${n.status === 'failed' || n.status === 'held' ? redrive(n.id) : ''}</td>
<td class="mono">${n.recipients.join(', ')}</td><td>${n.reportIds.length}</td>
<td>${n.answers.map((a) => html`<div><span class="badge${a.answer === 'disputed' && !a.reviewedAt ? ' bad' : ''}">${a.answer}</span> ${a.comment}</div>`)}</td></tr>`)}
</tbody></table></div>`}</section>`;
}
