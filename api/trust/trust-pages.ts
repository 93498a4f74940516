import { html, type Html } from '../web/html.ts';
import { layout } from '../web/layout.ts';

/**
 * The public trust pages: report confirmation and personal reporting addresses. Every value is
 * escaped by `html`; no scripts, no inline styles; one column, so they read at 390 px.
 */
// Public pages: the name in the header leads to the report form, not to the analyst login.
const page = (title: string, body: Html) => layout({ title, body, home: '/report' });
const fmt = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function confirmReportPage(csrf: string, token: string, r: { trackingId: string; email: string; receivedAt: Date; category: string | null }): string {
  return page('Confirm your report', html`<h1>Confirm your report</h1>
<dl class="facts">
<dt>Tracking id</dt><dd><code>${r.trackingId}</code></dd>
<dt>Sent</dt><dd>${fmt(r.receivedAt)}</dd>
<dt>Category</dt><dd>${r.category ?? 'not given'}</dd>
<dt>Your address</dt><dd>${r.email}</dd>
</dl>
<p>Confirm that you sent this report from this address. A confirmed report counts towards our
decisions about the sender; an unconfirmed one is only read.</p>
<form method="post" action="/report/confirm" class="stack">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="token" value="${token}">
<button type="submit" id="confirm">Confirm</button>
</form>`);
}

export function reportConfirmedPage(trackingId: string, counted: boolean): string {
  return page('Report confirmed', html`<h1>Thank you — your report is confirmed</h1>
<p id="result" data-status="confirmed">Report <code>${trackingId}</code> ${counted ? 'now counts as a report from a verified reporter.' : 'was already trusted; nothing else was needed.'}</p>
<p><a href="/report">Report another message</a> · <a href="/reporters">Get a personal reporting address</a></p>`);
}

export function linkUsedPage(what: string): string {
  return page('Link already used', html`<h1>This link was already used</h1>
<p id="result" data-status="used">${what} Nothing else needs to be done.</p>`);
}

export function linkInvalidPage(again: string): string {
  return page('Link not valid', html`<h1>Link not valid</h1>
<p class="error" role="alert" id="result" data-status="invalid">This link is unknown or expired (links work for 24 hours). ${again}</p>`);
}

export function reportersPage(csrf: string, opts: { email?: string; error?: string | null; domain: string }): string {
  return page('Your personal reporting address', html`<h1>A personal address for reporting spam</h1>
<p>Forward spam to a personal address that only you know, and your reports count as coming from a
verified reporter. Enter your email address: we mail you a link that works once, for 24 hours; the
page it opens shows your address, of the form <code>report+…@${opts.domain}</code>.</p>
${opts.error ? html`<p class="error" role="alert" id="form-error">${opts.error}</p>` : ''}
<form method="post" action="/reporters" class="stack card">
<input type="hidden" name="_csrf" value="${csrf}">
<label>Your email address
<input type="email" name="email" autocomplete="email" required maxlength="254" value="${opts.email ?? ''}"></label>
<input type="hidden" name="action" value="issue">
<button type="submit" id="request-address">Mail me the link</button>
</form>
<h2>Revoke your address</h2>
<p>If your personal address leaked, revoke it: mail to it is then refused. Asking for a new one above also replaces the old one.</p>
<form method="post" action="/reporters" class="stack card">
<input type="hidden" name="_csrf" value="${csrf}">
<label>Your email address
<input type="email" name="email" autocomplete="email" required maxlength="254"></label>
<input type="hidden" name="action" value="revoke">
<button type="submit" class="secondary" id="request-revoke">Mail me a revocation link</button>
</form>`);
}

export function reportersMailedPage(email: string): string {
  return page('Check your mail', html`<h1>Check your mail</h1>
<p id="result" data-status="mailed">We sent a link to <strong>${email}</strong>. It works once, for 24 hours.</p>`);
}

export function reporterConfirmPage(csrf: string, token: string, purpose: 'reporter' | 'revoke', email: string): string {
  const issue = purpose === 'reporter';
  return page(issue ? 'Your personal reporting address' : 'Revoke your reporting address', html`<h1>${issue ? 'Create your personal reporting address' : 'Revoke your personal reporting address'}</h1>
<p>For <strong>${email}</strong>. ${issue ? 'The address is shown once, on the next page: copy it into your address book. An earlier address of yours stops working.' : 'Mail to your current personal address will be refused.'}</p>
<form method="post" action="/reporters/confirm" class="stack">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="token" value="${token}">
<button type="submit" id="confirm">${issue ? 'Show my address' : 'Revoke it'}</button>
</form>`);
}

export function reporterAddressPage(address: string, email: string, replaced: number): string {
  return page('Your personal reporting address', html`<h1>Your personal reporting address</h1>
<p>For <strong>${email}</strong>. Forward spam (as an attachment, or redirected) to:</p>
<p class="address"><code id="personal-address">${address}</code></p>
<div class="notice"><p>This page is the only time we show it: we keep only a fingerprint of it. Keep it to
yourself — anyone who knows it can report in your name. ${replaced > 0 ? 'Your earlier address no longer works.' : ''}</p>
<p>To revoke it, use the revocation form on <a href="/reporters">the reporters page</a>.</p></div>`);
}

export function reporterRevokedPage(email: string, revoked: number): string {
  return page('Address revoked', html`<h1>Revoked</h1>
<p id="result" data-status="revoked">${revoked > 0 ? html`The personal reporting address of <strong>${email}</strong> was revoked; mail to it is refused now.` : html`<strong>${email}</strong> had no personal reporting address in use.`}</p>
<p><a href="/reporters">Get a new one</a></p>`);
}

export function trustErrorPage(title: string, message: string, back: string): string {
  return page(title, html`<h1>${title}</h1><p class="error" role="alert" id="result">${message}</p><p><a href="${back}">Back</a></p>`);
}
