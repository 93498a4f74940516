import { html } from '../web/html.ts';
import type { Language } from '../web/i18n/languages.ts';
import { translator } from '../web/i18n/catalog.ts';
import { senderPage } from './sender-page.ts';

/** The portal's entries: where each leads and the key of its words. `/sender/data` is the owners' section (docs/sender-data.md). */
const ENTRIES = [
  ['why', '/sender/why'],
  ['ip', '/sender/ip'],
  ['delist', '/sender/delist'],
  ['data', '/sender/data'],
  ['policy', '/sender/policy'],
] as const;

export function indexPage(lang: Language): string {
  const t = translator(lang, 'sender');
  return senderPage(
    lang,
    '/sender',
    t('portal'),
    html`<h1>${t('portal')}</h1>
<p>${t('index.intro')}</p>
<nav aria-label="${t('nav.label')}"><ul class="portal-links">${ENTRIES.map(
      ([key, href]) => html`<li><a href="${href}" id="to-${key}"><strong>${t(`nav.${key}`)}</strong></a><br>${t(`index.${key}`)}</li>`,
    )}</ul></nav>`,
    false,
  );
}
