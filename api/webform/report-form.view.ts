import { html, type Html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import { DESCRIPTION_MAX, REPORT_CATEGORIES, type FieldErrors } from './report-input.ts';
import type { ConfirmationOutcome } from '../trust/report-confirmation.ts';
import { CATEGORY_LABELS, CONFIRMATION, FORM, PAGES } from './report-form.text.ts';

export interface FormValues {
  email?: string;
  category?: string;
  description?: string;
  source?: string;
}

/** The public pages' shell: the name in the header leads back to the form, never to the analyst login. */
export function publicPage(title: string, body: Html): string {
  return layout({ title, body, home: '/report' });
}

function fieldError(errors: FieldErrors, field: keyof FieldErrors): Html | string {
  const msg = errors[field];
  return msg ? html`<span class="error" id="${field}-error">${msg}</span>` : '';
}

/** aria-describedby / aria-invalid for a field with an error, so screen readers announce it. */
function invalid(errors: FieldErrors, field: keyof FieldErrors): Html | string {
  return errors[field] ? html` aria-invalid="true" aria-describedby="${field}-error"` : '';
}

/** Where to find a message's source in common mail clients; <details> needs no JavaScript. */
function headersHelp(): Html {
  return html`<details class="help"><summary>${FORM.headersHelpSummary}</summary>
<dl>${FORM.headersHelp.map(([client, how]) => html`<dt>${client}</dt><dd>${how}</dd>`)}</dl>
<p class="muted">${FORM.headersHelpForward}</p></details>`;
}

export interface ReportFormOptions {
  values: FormValues;
  errors: FieldErrors;
  csrfToken: string;
  maxBytes: number;
  /** RETENTION_DAYS and PSEUDONYMISE_DAYS, for the privacy notice. */
  retentionDays: number;
  pseudonymiseDays: number;
}

/**
 * The public report form. Plain HTML that works without JavaScript; every value written back is
 * escaped by `html`. The `website` field is a honeypot: hidden from people by CSS, filled by bots.
 * Its words live in report-form.text.ts.
 */
export function reportFormPage(opts: ReportFormOptions): string {
  const { values: v, errors, csrfToken, maxBytes } = opts;
  const count = Object.keys(errors).length;
  const body = html`<h1>${FORM.title}</h1>
<p class="muted">${FORM.intro}</p>
${count ? html`<div class="errors" role="alert"><strong>${count === 1 ? FORM.correctOne : FORM.correctMany(count)}</strong></div>` : ''}
<form class="stack card" method="post" action="/report" enctype="multipart/form-data" novalidate>
<input type="hidden" name="_csrf" value="${csrfToken}">
<label>${FORM.email}
<input type="email" name="email" autocomplete="email" required maxlength="254" value="${v.email ?? ''}"${invalid(errors, 'email')}>
${fieldError(errors, 'email')}</label>
<label>${FORM.category}
<select name="category" required${invalid(errors, 'category')}>
<option value="">${FORM.choose}</option>
${REPORT_CATEGORIES.map((c) => html`<option value="${c}"${v.category === c ? html` selected` : ''}>${CATEGORY_LABELS[c]}</option>`)}
</select>
${fieldError(errors, 'category')}</label>
<label>${FORM.description}
<textarea name="description" maxlength="${DESCRIPTION_MAX}"${invalid(errors, 'description')}>${v.description ?? ''}</textarea>
${fieldError(errors, 'description')}</label>
<fieldset class="card message">
<legend>${FORM.messageLegend}</legend>
${fieldError(errors, 'message')}
<label>${FORM.upload(maxBytes)}
<input type="file" name="message" accept=".eml,message/rfc822,text/plain"${invalid(errors, 'message')}>
</label>
<p class="muted">${FORM.or}</p>
<label>${FORM.paste}
<textarea name="source" spellcheck="false" class="mono"${invalid(errors, 'message')}>${v.source ?? ''}</textarea>
</label>
${headersHelp()}
</fieldset>
<div class="hp" aria-hidden="true"><label>${FORM.honeypot} <input type="text" name="website" tabindex="-1" autocomplete="off"></label></div>
<button type="submit">${FORM.submit}</button>
</form>
<section class="privacy" aria-labelledby="privacy-title"><h2 id="privacy-title">${FORM.privacyTitle}</h2>
<p id="privacy">${FORM.privacy(opts.retentionDays, opts.pseudonymiseDays)}</p></section>`;
  return publicPage(FORM.title, body);
}

export function confirmationPage(id: string, confirmation: ConfirmationOutcome): string {
  const body = html`<h1>${CONFIRMATION.heading}</h1>
<div class="notice"><p>${CONFIRMATION.trackingId} <code id="tracking-id">${id}</code>.</p>
<p>${CONFIRMATION.quote}</p>
<p><a id="status-link" href="/report/status/${id}">${CONFIRMATION.followStatus}</a></p></div>
${confirmation.mailed
    ? html`<div class="notice" id="confirmation" data-mailed="true"><p>${CONFIRMATION.mailed} <strong>${confirmation.to}</strong>. ${CONFIRMATION.mailedNext}</p></div>`
    : html`<div class="errors" id="confirmation" data-mailed="false"><p>${CONFIRMATION.notMailed} ${confirmation.reason ?? ''}. ${CONFIRMATION.notMailedNext}</p></div>`}
<p><a href="/report">${CONFIRMATION.another}</a></p>`;
  return publicPage(CONFIRMATION.title, body);
}

export function errorPage(title: string, message: string): string {
  const body = html`<h1>${title}</h1>
<div class="errors" role="alert"><p>${message}</p></div>
<p><a href="/report">${PAGES.back}</a></p>`;
  return publicPage(title, body);
}
