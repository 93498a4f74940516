import { html, type Html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import type { DelistRequest } from './delist-service.ts';
import type { ListingRow } from '../../shared/reputation/store/listings-repo.ts';

/** The delist portal's pages. Every value is escaped by `html`; no scripts at all. */

const page = (title: string, body: Html) => layout({ title, body });

export function formPage(csrf: string, ip = '', error: string | null = null): string {
  return page(
    'Request removal from the blocklist',
    html`<h1>Request removal from the blocklist</h1>
<p>Enter one IP address and an email address we can reach you at. We mail you a link that works once, for 24 hours.</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/delist" class="form">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="ip">IP address</label>
<input id="ip" name="ip" required maxlength="64" value="${ip}" autocomplete="off">
<label for="email">Your email</label>
<input id="email" name="email" type="email" required maxlength="254">
<button type="submit">Send confirmation link</button>
</form>`,
  );
}

export function mailedPage(ip: string, email: string): string {
  return page('Check your mail', html`<h1>Check your mail</h1>
<p id="result">We sent a confirmation link for <strong>${ip}</strong> to <strong>${email}</strong>. It works once, for 24 hours.</p>`);
}

export function notListedPage(ip: string): string {
  return page('Not listed', html`<h1>Not listed</h1><p id="result"><strong>${ip}</strong> is not on our blocklist. Nothing to remove.</p>`);
}

export function confirmPage(csrf: string, token: string, req: DelistRequest, listing: ListingRow | null): string {
  if (!listing) {
    return page('Not listed', html`<h1>Not listed any more</h1><p id="result"><strong>${req.ip}</strong> is no longer on our blocklist.</p>`);
  }
  return page(
    'Confirm removal',
    html`<h1>Remove ${req.ip} from the blocklist</h1>
<dl class="facts">
<dt>Listed since</dt><dd>${listing.listedAt.toISOString()}</dd>
<dt>Why</dt><dd><ul>${listing.reasons.map((r) => html`<li>${r}</li>`)}</ul></dd>
</dl>
<p>Removal is automatic when the complaints have stopped; otherwise an analyst reviews the request.</p>
<form method="post" action="/delist/confirm">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="token" value="${token}">
<button type="submit" id="delist">Delist</button>
</form>`,
  );
}

export function resultPage(ip: string, status: 'delisted' | 'queued' | 'not_listed', reasons: string[]): string {
  const text = {
    delisted: html`<strong>${ip}</strong> has been removed from the blocklist.`,
    queued: html`Your request for <strong>${ip}</strong> is waiting for an analyst; you will not need to do anything else.`,
    not_listed: html`<strong>${ip}</strong> is no longer on our blocklist.`,
  }[status];
  return page('Removal request', html`<h1>Removal request</h1><p id="result" data-status="${status}">${text}</p>
<ul class="reasons">${reasons.map((r) => html`<li>${r}</li>`)}</ul>`);
}

export function errorPage(title: string, message: string): string {
  return page(title, html`<h1>${title}</h1><p class="error" role="alert" id="result">${message}</p><p><a href="/delist">Start again</a></p>`);
}
