import { html, verbatim, type Html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import { translator, type Translate } from '../web/i18n/catalog.ts';
import { richText } from '../web/i18n/rich-text.ts';
import type { Language } from '../web/i18n/languages.ts';
import { DESCRIPTION_MAX, REPORT_CATEGORIES, type FieldErrors } from './report-input.ts';
import { sizeInWords } from './report-words.ts';
import type { ConfirmationOutcome } from '../trust/report-confirmation.ts';

/** The language a page speaks and the path the language switch comes back to. */
export interface PageLocale {
  lang: Language;
  path: string;
}

export interface FormValues {
  email?: string;
  category?: string;
  description?: string;
  source?: string;
}

/** The public pages' shell: the name in the header leads back to the form, never to the analyst login. */
export function publicPage(title: string, body: Html, locale: PageLocale): string {
  return layout({ title, body, home: '/report', locale });
}

/** The words of the report pages (namespace `report`) in the page's language. */
export const reportWords = (locale: PageLocale): Translate => translator(locale.lang, 'report');

function fieldError(errors: FieldErrors, field: keyof FieldErrors): Html | string {
  const msg = errors[field];
  return msg ? html`<span class="error" id="${field}-error">${msg}</span>` : '';
}

/** aria-describedby / aria-invalid for a field with an error, so screen readers announce it. */
function invalid(errors: FieldErrors, field: keyof FieldErrors): Html | string {
  return errors[field] ? html` aria-invalid="true" aria-describedby="${field}-error"` : '';
}

/** The mail clients of the help, in the order shown; their words are under form.headersHelp. */
const MAIL_CLIENTS = ['gmail', 'outlookWeb', 'outlookWindows', 'appleMail', 'thunderbird', 'yahoo'] as const;

/** Where to find a message's source in common mail clients; <details> needs no JavaScript. */
function headersHelp(t: Translate): Html {
  return html`<details class="help"><summary>${t('form.headersHelpSummary')}</summary>
<dl>${MAIL_CLIENTS.map((c) => html`<dt>${t(`form.headersHelp.${c}.client`)}</dt><dd>${t(`form.headersHelp.${c}.how`)}</dd>`)}</dl>
<p class="muted">${t('form.headersHelpForward')}</p></details>`;
}

export interface ReportFormOptions {
  values: FormValues;
  errors: FieldErrors;
  csrfToken: string;
  maxBytes: number;
  /** RETENTION_DAYS and PSEUDONYMISE_DAYS, for the privacy notice. */
  retentionDays: number;
  pseudonymiseDays: number;
  locale: PageLocale;
}

/**
 * The public report form. Plain HTML that works without JavaScript; every value written back is
 * escaped by `html`. The `website` field is a honeypot: hidden from people by CSS, filled by bots.
 * Its words are in the `report` translations (api/web/i18n/locales/<language>/report.json).
 */
export function reportFormPage(opts: ReportFormOptions): string {
  const { values: v, errors, csrfToken, maxBytes, locale } = opts;
  const t = reportWords(locale);
  const count = Object.keys(errors).length;
  const privacy = [
    t('form.privacy.keep'), t('form.privacy.pseudonymise', { count: opts.pseudonymiseDays }),
    t('form.privacy.delete', { count: opts.retentionDays }), t('form.privacy.sender'),
  ].join(' ');
  const body = html`<h1>${t('form.title')}</h1>
<p class="muted">${t('form.intro')}</p>
${count ? html`<div class="errors" role="alert"><strong>${t('form.correct', { count })}</strong></div>` : ''}
<form class="stack card" method="post" action="/report" enctype="multipart/form-data" novalidate>
<input type="hidden" name="_csrf" value="${csrfToken}">
<label>${t('form.email')}
<input type="email" name="email" autocomplete="email" required maxlength="254" value="${v.email ?? ''}"${invalid(errors, 'email')}>
${fieldError(errors, 'email')}</label>
<label>${t('form.category')}
<select name="category" required${invalid(errors, 'category')}>
<option value="">${t('form.choose')}</option>
${REPORT_CATEGORIES.map((c) => html`<option value="${c}"${v.category === c ? html` selected` : ''}>${t(`categories.${c}`)}</option>`)}
</select>
${fieldError(errors, 'category')}</label>
<label>${t('form.description')}
<textarea name="description" maxlength="${DESCRIPTION_MAX}"${invalid(errors, 'description')}>${verbatim(v.description ?? '')}</textarea>
${fieldError(errors, 'description')}</label>
<fieldset class="card message">
<legend>${t('form.messageLegend')}</legend>
${fieldError(errors, 'message')}
<label>${t('form.upload', { size: sizeInWords(maxBytes, locale.lang) })}
<input type="file" name="message" accept=".eml,message/rfc822,text/plain"${invalid(errors, 'message')}>
</label>
<p class="muted">${t('form.or')}</p>
<label>${t('form.paste')}
<textarea name="source" spellcheck="false" class="mono"${invalid(errors, 'message')}>${verbatim(v.source ?? '')}</textarea>
</label>
${headersHelp(t)}
</fieldset>
<div class="hp" aria-hidden="true"><label>${t('form.honeypot')} <input type="text" name="website" tabindex="-1" autocomplete="off"></label></div>
<button type="submit">${t('form.submit')}</button>
</form>
<section class="privacy" aria-labelledby="privacy-title"><h2 id="privacy-title">${t('form.privacyTitle')}</h2>
<p id="privacy">${privacy}</p></section>`;
  return publicPage(t('form.title'), body, locale);
}

export function confirmationPage(id: string, confirmation: ConfirmationOutcome, locale: PageLocale): string {
  const t = reportWords(locale);
  const why = confirmation.why ? t(`confirmation.reasons.${confirmation.why}`) : '';
  const body = html`<h1>${t('confirmation.heading')}</h1>
<div class="notice"><p>${richText(t, 'confirmation.trackingId', { id: html`<code id="tracking-id">${id}</code>` })}</p>
<p>${t('confirmation.quote')}</p>
<p><a id="status-link" href="/report/status/${id}">${t('confirmation.followStatus')}</a></p></div>
${confirmation.mailed
    ? html`<div class="notice" id="confirmation" data-mailed="true"><p>${richText(t, 'confirmation.mailed', { email: html`<strong>${confirmation.to}</strong>` })} ${t('confirmation.mailedNext')}</p></div>`
    : html`<div class="errors" id="confirmation" data-mailed="false"><p>${t('confirmation.notMailed', { reason: why })} ${t('confirmation.notMailedNext')}</p></div>`}
<p><a href="/report">${t('confirmation.another')}</a></p>`;
  return publicPage(t('confirmation.title'), body, locale);
}

export function errorPage(title: string, message: string, locale: PageLocale): string {
  const body = html`<h1>${title}</h1>
<div class="errors" role="alert"><p>${message}</p></div>
<p><a href="/report">${reportWords(locale)('pages.back')}</a></p>`;
  return publicPage(title, body, locale);
}
