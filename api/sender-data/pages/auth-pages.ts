import { html, verbatim } from '../../web/html.ts';
import { ownerPage, postForm, words, type PageLocale } from './shell.ts';

/** Signed out: what the service offers and the sign-in form. */
export function signinPage(l: PageLocale, csrf: string, opts: { email?: string; error?: string | null } = {}): string {
  const t = words(l);
  return ownerPage(l, t('title'), html`<h1>${t('title')}</h1>
<p>${t('intro')}</p>
<h2>${t('signinHeading')}</h2>
<p>${t('signinText')}</p>
${opts.error ? html`<p class="error" role="alert" id="form-error">${opts.error}</p>` : ''}
${postForm('/sender/data/signin', csrf, html`<label>${t('emailLabel')}
<input type="email" name="email" autocomplete="email" required maxlength="254" value="${verbatim(opts.email ?? '')}"></label>`, t('signinButton'), { id: 'signin', cls: 'stack card' })}`);
}

export function mailedPage(l: PageLocale, email: string, sent: boolean): string {
  const t = words(l);
  return ownerPage(l, t('mailedHeading'), html`<h1>${t('mailedHeading')}</h1>
${sent ? html`<p class="notice" id="result" data-status="mailed">${t('mailedText', { email })}</p>` : html`<p class="errors" role="alert" id="result" data-status="not-mailed">${t('mailNotSent')}</p>`}
<p><a href="/sender/data">${t('back')}</a></p>`);
}

/** GET of a mailed link: shows, never changes anything (mail scanners open links). */
export function confirmLinkPage(l: PageLocale, csrf: string, a: { heading: string; text?: string; action: string; token: string; button: string }): string {
  return ownerPage(l, a.heading, html`<h1>${a.heading}</h1>
${a.text ? html`<p>${a.text}</p>` : ''}
${postForm(a.action, csrf, html`<input type="hidden" name="token" value="${a.token}">`, a.button, { id: 'confirm' })}`);
}

export function linkInvalidPage(l: PageLocale, text?: string): string {
  const t = words(l);
  return ownerPage(l, t('linkInvalidHeading'), html`<h1>${t('linkInvalidHeading')}</h1>
<p class="errors" role="alert" id="result" data-status="invalid">${text ?? t('linkInvalid')}</p>
<p><a href="/sender/data">${t('back')}</a></p>`);
}

export function donePage(l: PageLocale, heading: string, text: string, status: string): string {
  const t = words(l);
  return ownerPage(l, heading, html`<h1>${heading}</h1>
<p class="notice" id="result" data-status="${status}">${text}</p>
<p><a href="/sender/data">${t('back')}</a></p>`);
}

export function errorPage(l: PageLocale, text: string): string {
  const t = words(l);
  return ownerPage(l, t('title'), html`<h1>${t('title')}</h1><p class="errors" role="alert" id="result">${text}</p><p><a href="/sender/data">${t('back')}</a></p>`);
}
