import { html } from '../web/html.ts';
import { translator } from '../web/i18n/catalog.ts';
import type { Language } from '../web/i18n/languages.ts';
import { formatTime, senderPage } from '../sender/sender-page.ts';
import { publicReason } from '../sender/public-reason.ts';
import type { DelistRequest } from './delist-service.ts';
import type { ListingRow } from '../../shared/reputation/store/listings-repo.ts';

/**
 * The delist portal's pages (part of the sender portal, namespace `sender`). Every value is escaped
 * by `html`; no scripts at all.
 */

const FORM_PATH = '/sender/delist';

export function formPage(lang: Language, csrf: string, ip = '', error: string | null = null): string {
  const t = translator(lang, 'sender');
  return senderPage(
    lang,
    ip ? `${FORM_PATH}?ip=${encodeURIComponent(ip)}` : FORM_PATH,
    t('delist.title'),
    html`<h1>${t('delist.title')}</h1>
<p>${t('delist.intro')}</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="${FORM_PATH}" class="stack">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="ip">${t('delist.ipLabel')}</label>
<input id="ip" name="ip" required maxlength="64" value="${ip}" autocomplete="off">
<label for="email">${t('delist.emailLabel')}</label>
<input id="email" name="email" type="email" required maxlength="254">
<button type="submit">${t('delist.submit')}</button>
</form>`,
  );
}

export function mailedPage(lang: Language, ip: string, email: string): string {
  const t = translator(lang, 'sender');
  return senderPage(lang, FORM_PATH, t('delist.mailedTitle'), html`<h1>${t('delist.mailedTitle')}</h1>
<p id="result">${t('delist.mailed', { ip, email })}</p>`);
}

export function notListedPage(lang: Language, ip: string): string {
  const t = translator(lang, 'sender');
  return senderPage(lang, FORM_PATH, t('delist.notListedTitle'), html`<h1>${t('delist.notListedTitle')}</h1><p id="result">${t('delist.notListed', { ip })}</p>`);
}

/** `path`: the confirmation link itself, so the language switch comes back to it. */
export function confirmPage(lang: Language, path: string, csrf: string, token: string, req: DelistRequest, listing: ListingRow | null): string {
  const t = translator(lang, 'sender');
  if (!listing) {
    return senderPage(lang, path, t('delist.notListedAnyMore'), html`<h1>${t('delist.notListedAnyMore')}</h1><p id="result">${t('delist.noLongerListed', { ip: req.ip })}</p>`);
  }
  return senderPage(
    lang,
    path,
    t('delist.confirmTitle'),
    html`<h1>${t('delist.confirmHeading', { ip: req.ip })}</h1>
<dl class="kv facts">
<dt>${t('delist.since')}</dt><dd>${formatTime(listing.listedAt, lang)}</dd>
<dt>${t('delist.why')}</dt><dd><ul>${listing.reasons.map((r) => html`<li>${publicReason(r, t)}</li>`)}</ul></dd>
</dl>
<p>${t('delist.rules')}</p>
<form method="post" action="${FORM_PATH}/confirm">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="token" value="${token}">
<button type="submit" id="delist">${t('delist.button')}</button>
</form>`,
  );
}

export function resultPage(lang: Language, ip: string, status: 'delisted' | 'queued' | 'not_listed', reasons: string[]): string {
  const t = translator(lang, 'sender');
  const text = { delisted: t('delist.delisted', { ip }), queued: t('delist.queued', { ip }), not_listed: t('delist.noLongerListed', { ip }) }[status];
  return senderPage(lang, FORM_PATH, t('delist.resultTitle'), html`<h1>${t('delist.resultTitle')}</h1><p id="result" data-status="${status}">${text}</p>
<ul class="reasons">${reasons.map((r) => html`<li>${r}</li>`)}</ul>`);
}

export function errorPage(lang: Language, title: string, message: string): string {
  const t = translator(lang, 'sender');
  return senderPage(lang, FORM_PATH, title, html`<h1>${title}</h1><p class="error" role="alert" id="result">${message}</p><p><a href="${FORM_PATH}">${t('delist.startAgain')}</a></p>`);
}

