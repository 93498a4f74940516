import { html, type Html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import { translator, type Translate } from '../web/i18n/catalog.ts';
import { richText } from '../web/i18n/rich-text.ts';
import type { Language } from '../web/i18n/languages.ts';
import { categoryLabel } from '../webform/report-words.ts';

/**
 * The public trust pages: report confirmation and personal reporting addresses, in the visitor's
 * language (namespace `reporters`). Every value is escaped by `html`; no scripts, no inline
 * styles; one column, so they read at 390 px.
 */

/** The page's language and the path the language switch comes back to. */
export interface TrustLocale {
  lang: Language;
  path: string;
}

// Public pages: the name in the header leads to the report form, not to the analyst login.
const page = (title: string, body: Html, locale: TrustLocale) => layout({ title, body, home: '/report', locale });
const words = (locale: TrustLocale): Translate => translator(locale.lang, 'reporters');
const fmt = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function confirmReportPage(
  csrf: string, token: string, r: { trackingId: string; email: string; receivedAt: Date; category: string | null }, locale: TrustLocale,
): string {
  const t = words(locale);
  return page(t('confirmReport.title'), html`<h1>${t('confirmReport.title')}</h1>
<dl class="facts">
<dt>${t('confirmReport.trackingId')}</dt><dd><code>${r.trackingId}</code></dd>
<dt>${t('confirmReport.sent')}</dt><dd>${fmt(r.receivedAt)}</dd>
<dt>${t('confirmReport.category')}</dt><dd>${r.category ? categoryLabel(r.category, locale.lang) : t('confirmReport.notGiven')}</dd>
<dt>${t('confirmReport.address')}</dt><dd>${r.email}</dd>
</dl>
<p>${t('confirmReport.explain')}</p>
<form method="post" action="/report/confirm" class="stack">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="token" value="${token}">
<button type="submit" id="confirm">${t('confirmReport.button')}</button>
</form>`, locale);
}

export function reportConfirmedPage(trackingId: string, counted: boolean, locale: TrustLocale): string {
  const t = words(locale);
  return page(t('confirmed.title'), html`<h1>${t('confirmed.heading')}</h1>
<p id="result" data-status="confirmed">${richText(t, counted ? 'confirmed.counted' : 'confirmed.already', { id: html`<code>${trackingId}</code>` })}</p>
<p><a href="/report">${t('reportAnother')}</a> · <a href="/reporters">${t('confirmed.getAddress')}</a></p>`, locale);
}

/** `what`: a key under linkUsed saying what the link did (reportConfirmed, addressShown). */
export function linkUsedPage(what: 'reportConfirmed' | 'addressShown', locale: TrustLocale): string {
  const t = words(locale);
  return page(t('linkUsed.title'), html`<h1>${t('linkUsed.heading')}</h1>
<p id="result" data-status="used">${t(`linkUsed.${what}`)} ${t('linkUsed.nothingElse')}</p>`, locale);
}

/** `again`: a key under linkInvalid saying how to get a new link (reportAgain, reportGone, askAgain). */
export function linkInvalidPage(again: 'reportAgain' | 'reportGone' | 'askAgain', locale: TrustLocale): string {
  const t = words(locale);
  return page(t('linkInvalid.title'), html`<h1>${t('linkInvalid.title')}</h1>
<p class="error" role="alert" id="result" data-status="invalid">${t('linkInvalid.text')} ${t(`linkInvalid.${again}`)}</p>`, locale);
}

export function reportersPage(csrf: string, opts: { email?: string; error?: boolean; domain: string }, locale: TrustLocale): string {
  const t = words(locale);
  return page(t('reporters.title'), html`<h1>${t('reporters.heading')}</h1>
<p>${richText(t, 'reporters.intro', { address: html`<code>report+…@${opts.domain}</code>` })}</p>
${opts.error ? html`<p class="error" role="alert" id="form-error">${t('reporters.invalidEmail')}</p>` : ''}
<form method="post" action="/reporters" class="stack card">
<input type="hidden" name="_csrf" value="${csrf}">
<label>${t('reporters.email')}
<input type="email" name="email" autocomplete="email" required maxlength="254" value="${opts.email ?? ''}"></label>
<input type="hidden" name="action" value="issue">
<button type="submit" id="request-address">${t('reporters.request')}</button>
</form>
<h2>${t('reporters.revokeHeading')}</h2>
<p>${t('reporters.revokeIntro')}</p>
<form method="post" action="/reporters" class="stack card">
<input type="hidden" name="_csrf" value="${csrf}">
<label>${t('reporters.email')}
<input type="email" name="email" autocomplete="email" required maxlength="254"></label>
<input type="hidden" name="action" value="revoke">
<button type="submit" class="secondary" id="request-revoke">${t('reporters.revokeButton')}</button>
</form>`, locale);
}

export function reportersMailedPage(email: string, locale: TrustLocale): string {
  const t = words(locale);
  return page(t('mailed.title'), html`<h1>${t('mailed.title')}</h1>
<p id="result" data-status="mailed">${richText(t, 'mailed.text', { email: html`<strong>${email}</strong>` })}</p>`, locale);
}

export function reporterConfirmPage(csrf: string, token: string, purpose: 'reporter' | 'revoke', email: string, locale: TrustLocale): string {
  const t = words(locale);
  const k = purpose === 'reporter' ? 'issue' : 'revoke';
  return page(t(`reporterConfirm.${k}Title`), html`<h1>${t(`reporterConfirm.${k}Heading`)}</h1>
<p>${richText(t, 'reporterConfirm.for', { email: html`<strong>${email}</strong>` })} ${t(`reporterConfirm.${k}Text`)}</p>
<form method="post" action="/reporters/confirm" class="stack">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="token" value="${token}">
<button type="submit" id="confirm">${t(`reporterConfirm.${k}Button`)}</button>
</form>`, locale);
}

export function reporterAddressPage(address: string, email: string, replaced: number, locale: TrustLocale): string {
  const t = words(locale);
  return page(t('address.title'), html`<h1>${t('address.title')}</h1>
<p>${richText(t, 'address.forward', { email: html`<strong>${email}</strong>` })}</p>
<p class="address"><code id="personal-address">${address}</code></p>
<div class="notice"><p>${t('address.onlyTime')} ${replaced > 0 ? t('address.replaced') : ''}</p>
<p>${richText(t, 'address.revokeHint', { link: html`<a href="/reporters">${t('address.revokeLink')}</a>` })}</p></div>`, locale);
}

export function reporterRevokedPage(email: string, revoked: number, locale: TrustLocale): string {
  const t = words(locale);
  return page(t('revoked.title'), html`<h1>${t('revoked.heading')}</h1>
<p id="result" data-status="revoked">${richText(t, revoked > 0 ? 'revoked.revoked' : 'revoked.none', { email: html`<strong>${email}</strong>` })}</p>
<p><a href="/reporters">${t('revoked.getNew')}</a></p>`, locale);
}

/** `what`: a pair of keys under errors, `<what>Title` and `<what>`. */
export function trustErrorPage(what: 'tooMany' | 'mailFailed' | 'expired', back: string, locale: TrustLocale): string {
  const t = words(locale);
  const title = t(`errors.${what}Title`);
  return page(title, html`<h1>${title}</h1><p class="error" role="alert" id="result">${t(`errors.${what}`)}</p><p><a href="${back}">${t('back')}</a></p>`, locale);
}
