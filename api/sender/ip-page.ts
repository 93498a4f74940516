import { html, verbatim, type Html } from '../web/html.ts';
import { translator } from '../web/i18n/catalog.ts';
import type { Language } from '../web/i18n/languages.ts';
import { senderPage } from './sender-page.ts';

/** `GET /sender/ip`: the form, and under it the answer for the IP asked about (or why there is none). */
export function ipPage(lang: Language, value: string, answer: Html | null, error: string | null = null): string {
  const t = translator(lang, 'sender');
  const path = value ? `/sender/ip?ip=${encodeURIComponent(value)}` : '/sender/ip';
  return senderPage(lang, path, t('ip.title'), html`<h1>${t('ip.title')}</h1>
<p>${t('ip.intro')}</p>
<form method="get" action="/sender/ip" class="inline">
<label for="ip">${t('ip.label')} <input id="ip" name="ip" required maxlength="64" value="${verbatim(value)}" autocomplete="off" inputmode="text"></label>
<button type="submit">${t('ip.submit')}</button>
</form>
${error ? html`<p class="errors" role="alert" id="ip-error">${error}</p>` : ''}
${answer ?? ''}`);
}
