import { html, verbatim, type Html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import { DESCRIPTION_MAX, REPORT_CATEGORIES, type FieldErrors } from './report-input.ts';

export interface FormValues {
  email?: string;
  category?: string;
  description?: string;
  source?: string;
}

const LABELS: Record<string, string> = { spam: 'Spam', phishing: 'Phishing', malware: 'Malware', scam: 'Scam / fraud', other: 'Other abuse' };

function fieldError(errors: FieldErrors, field: keyof FieldErrors): Html | string {
  const msg = errors[field];
  return msg ? html`<span class="error" id="${field}-error">${msg}</span>` : '';
}

/** aria-describedby / aria-invalid for a field with an error, so screen readers announce it. */
function invalid(errors: FieldErrors, field: keyof FieldErrors): Html | string {
  return errors[field] ? html` aria-invalid="true" aria-describedby="${field}-error"` : '';
}

/**
 * The public report form. Plain HTML that works without JavaScript; every value written back is
 * escaped by `html`. The `website` field is a honeypot: hidden from people by CSS, filled by bots.
 */
export function reportFormPage(opts: { values: FormValues; errors: FieldErrors; csrfToken: string; maxBytes: number }): string {
  const { values: v, errors, csrfToken, maxBytes } = opts;
  const count = Object.keys(errors).length;
  const body = html`<h1>Report spam or abuse</h1>
<p class="muted">Send us a message you received that is spam, phishing, malware or a scam. We use the message headers to find where it came from.</p>
${count ? html`<div class="errors" role="alert"><strong>Please correct ${count === 1 ? 'the field' : `${count} fields`} below.</strong></div>` : ''}
<form class="stack card" method="post" action="/report" enctype="multipart/form-data" novalidate>
<input type="hidden" name="_csrf" value="${csrfToken}">
<label>Your email address
<input type="email" name="email" autocomplete="email" required maxlength="254" value="${v.email ?? ''}"${invalid(errors, 'email')}>
${fieldError(errors, 'email')}</label>
<label>What is it?
<select name="category" required${invalid(errors, 'category')}>
<option value="">Choose…</option>
${REPORT_CATEGORIES.map((c) => html`<option value="${c}"${v.category === c ? html` selected` : ''}>${LABELS[c] ?? c}</option>`)}
</select>
${fieldError(errors, 'category')}</label>
<label>Description (optional)
<textarea name="description" maxlength="${DESCRIPTION_MAX}"${invalid(errors, 'description')}>${verbatim(v.description ?? '')}</textarea>
${fieldError(errors, 'description')}</label>
<fieldset class="card">
<legend>The message</legend>
${fieldError(errors, 'message')}
<label>Upload the message as an .eml file (up to ${Math.floor(maxBytes / 1024)} KB)
<input type="file" name="message" accept=".eml,message/rfc822,text/plain"${invalid(errors, 'message')}>
</label>
<p class="muted">or</p>
<label>Paste the full headers or the message source
<textarea name="source" spellcheck="false" class="mono"${invalid(errors, 'message')}>${verbatim(v.source ?? '')}</textarea>
</label>
</fieldset>
<div class="hp" aria-hidden="true"><label>Leave this empty <input type="text" name="website" tabindex="-1" autocomplete="off"></label></div>
<button type="submit">Send report</button>
</form>`;
  return layout({ title: 'Report spam or abuse', body });
}

export function confirmationPage(id: string): string {
  const body = html`<h1>Thank you — your report was received</h1>
<div class="notice"><p>Your tracking id is <code id="tracking-id">${id}</code>.</p>
<p>Quote it if you contact us about this report.</p></div>
<p><a href="/report">Report another message</a></p>`;
  return layout({ title: 'Report received', body });
}

export function errorPage(title: string, message: string): string {
  const body = html`<h1>${title}</h1>
<div class="errors" role="alert"><p>${message}</p></div>
<p><a href="/report">Back to the report form</a></p>`;
  return layout({ title, body });
}
