import type { Request, Response } from 'express';
import { html, type Html } from '../web/html.ts';
import type { CsrfKit } from '../ui/csrf.ts';
import { fmtTime } from '../ui/page.ts';
import { nextStatuses, type TriageSubject } from '../../shared/triage/triage-status.ts';
import type { TriageCase } from './triage-store.ts';

/** The UI path a triage form posts to (api/triage/triage-ui.routes.ts). */
export function triageAction(kind: TriageSubject, key: string): string {
  return `/ui/triage/${kind}/${encodeURIComponent(key)}`;
}

/**
 * The triage card of a campaign, IP or tenant page: status, assignee, notes and audit, and a form
 * (CSRF token, no script) offering only the statuses the rule allows next. Notes are escaped text.
 */
export function triageCard(c: TriageCase, csrf: CsrfKit, req: Request, res: Response): Html {
  const options = [c.status, ...nextStatuses(c.status)];
  return html`<section class="card" id="triage"><h2>Triage</h2>
<dl class="kv"><dt>Status</dt><dd><span class="badge triage-${c.status}">${c.status}</span></dd>
<dt>Assignee</dt><dd>${c.assignee ?? html`<span class="muted">nobody</span>`}</dd>
${c.updatedAt ? html`<dt>Changed</dt><dd>${fmtTime(c.updatedAt)} by ${c.updatedBy ?? ''}</dd>` : ''}</dl>
<form method="post" action="${triageAction(c.kind, c.key)}" class="stack">
<input type="hidden" name="_csrf" value="${csrf.token(req, res)}">
<label>Status <select name="status">${options.map((s) => html`<option value="${s}"${s === c.status ? html` selected` : ''}>${s}</option>`)}</select></label>
<label>Assignee <input name="assignee" maxlength="200" value="${c.assignee ?? ''}"></label>
<label>Note <textarea name="note" maxlength="5000" rows="2"></textarea></label>
<button type="submit">Save</button></form>
${c.notes.length ? html`<h3>Notes</h3><ul class="notes">${c.notes.map((n) => html`<li><span class="muted">${fmtTime(n.at)} · ${n.author}</span><br>${n.text}</li>`)}</ul>` : ''}
${c.audit.length ? html`<details><summary>Audit trail (${c.audit.length})</summary><table class="compact"><tbody>
${c.audit.map((a) => html`<tr><td class="nowrap">${fmtTime(a.at)}</td><td>${a.actor}</td><td>${a.action}</td><td class="mono clip">${JSON.stringify(a.detail)}</td></tr>`)}</tbody></table></details>` : ''}
</section>`;
}
