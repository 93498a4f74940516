import { html, type Html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import type { ResponseView } from './response-service.ts';

/** The tenant response page (public; no scripts; every value escaped by `html`). */

const LABELS = { resolved: 'Resolved: we stopped it', investigating: 'Investigating', disputed: 'Disputed: we do not think this is abuse' } as const;

export function responsePage(v: ResponseView, tenantName: string, csrf: string, token: string, flash: { kind: 'notice' | 'errors'; text: string } | null): string {
  const body: Html = html`<h1>Abuse report for ${tenantName}</h1>
${flash ? html`<p class="${flash.kind}" role="status">${flash.text}</p>` : ''}
<p>We ${v.channel === 'digest' ? 'sent you a summary of reports' : 'sent you a report'}${v.sentAt ? html` on <time datetime="${v.sentAt.toISOString()}">${v.sentAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>` : ''} about mail sent from your account.
Who reported it and who received it are not shown.</p>
<section class="card"><h2>What was reported</h2>
<div class="table-wrap"><table><thead><tr><th>Received</th><th>Sending IP</th><th>Type</th><th>Subject</th><th>From domain</th></tr></thead><tbody>
${v.reports.map((r) => html`<tr><td class="nowrap">${r.receivedAt.toISOString().slice(0, 16).replace('T', ' ')}</td><td class="mono">${r.originatingIp ?? '–'}</td><td>${r.feedbackType ?? 'abuse'}</td><td class="clip">${r.subject || '(no subject)'}</td><td>${r.fromDomain ?? '–'}</td></tr>`)}
</tbody></table></div>
${v.reports.length === 0 ? html`<p class="muted">The reports were removed by our retention policy.</p>` : ''}</section>
${v.answers.length ? html`<section class="card"><h2>Your answers so far</h2><ul>${v.answers.map((a) => html`<li><strong>${LABELS[a.answer]}</strong> (${a.at.toISOString().slice(0, 16).replace('T', ' ')} UTC)${a.comment ? html`: ${a.comment}` : ''}</li>`)}</ul></section>` : ''}
<section class="card"><h2>Tell us what you did</h2>
<form method="post" action="/respond/${token}" class="form">
<input type="hidden" name="_csrf" value="${csrf}">
<fieldset><legend>Your answer</legend>
${(Object.keys(LABELS) as (keyof typeof LABELS)[]).map((k) => html`<label><input type="radio" name="answer" value="${k}" required> ${LABELS[k]}</label><br>`)}
</fieldset>
<label for="comment">Comment (optional)</label>
<textarea id="comment" name="comment" maxlength="2000" rows="4"></textarea>
<button type="submit">Send answer</button>
</form>
<p class="muted">This link works for 30 days from the notification. Each answer you send is recorded; a disputed report is reviewed by our analysts.</p></section>`;
  return layout({ title: 'Abuse report', body });
}

export function responseErrorPage(title: string, text: string): string {
  return layout({ title, body: html`<h1>${title}</h1><p>${text}</p>` });
}
