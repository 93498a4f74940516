import { html, type Html } from '../web/html.ts';
import type { Translate } from '../web/i18n/catalog.ts';
import type { Language } from '../web/i18n/languages.ts';
import type { LookupResult } from '../reputation/lookup-view.ts';
import { formatTime } from './sender-page.ts';
import { publicReason } from './public-reason.ts';

/** Where a sender asks for removal of `ip` (the delist portal, with the IP filled in). */
export function delistPath(ip: string): string {
  return `/sender/delist?ip=${encodeURIComponent(ip)}`;
}

/**
 * An IP's standing on our blocklist, built only from what the MTA lookup answers (lookup-view.ts):
 * listed or not, since when, the public reasons, when it ends by itself, and the delist action.
 * Nothing here can name a reporter, a report or a recipient: the lookup holds none.
 */
export function listingView(view: LookupResult, lang: Language, t: Translate): Html {
  if (!view.listed) {
    return html`<p class="notice" id="listing" data-listed="false">${t('ip.notListed', { ip: view.ip })}</p>
<p>${t('ip.notListedNext')} <a href="/sender/why">${t('nav.why')}</a></p>`;
  }
  const expires = view.expiresAt ? t('ip.expiresAt', { at: formatTime(view.expiresAt, lang) }) : t('ip.expiresNever');
  return html`<div class="card" id="listing" data-listed="true">
<p><span class="badge listed">${t('ip.listed', { ip: view.ip })}</span></p>
<dl class="kv">
<dt>${t('ip.since')}</dt><dd id="listed-since">${view.listedAt ? formatTime(view.listedAt, lang) : ''}</dd>
<dt>${t('ip.reasons')}</dt><dd><ul id="listing-reasons">${view.reasons.map((r) => html`<li>${publicReason(r, t)}</li>`)}</ul></dd>
<dt>${t('ip.expires')}</dt><dd id="listing-expires">${expires}</dd>
</dl>
<p><a class="button" id="delist-link" href="${delistPath(view.ip)}">${t('ip.delist', { ip: view.ip })}</a></p>
<p class="muted">${t('ip.delistNote')}</p>
</div>`;
}
