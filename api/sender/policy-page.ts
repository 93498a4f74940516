import { html, raw } from '../web/html.ts';
import { translator } from '../web/i18n/catalog.ts';
import type { Language } from '../web/i18n/languages.ts';
import type { RenderedPolicy } from './policy-file.ts';
import { senderPage } from './sender-page.ts';

/** `GET /sender/policy`: the operator's Markdown, rendered at start with raw HTML off (policy-file.ts). */
export function policyPage(lang: Language, policy: RenderedPolicy): string {
  const t = translator(lang, 'sender');
  const note = policy.lang !== lang ? html`<p class="muted" id="policy-fallback">${t('policy.fallback')}</p>` : '';
  return senderPage(lang, '/sender/policy', t('policy.title'), html`${note}<article class="policy" id="policy" lang="${policy.lang}">${raw(policy.html)}</article>`);
}
