import { html, verbatim, type Html } from '../web/html.ts';
import type { Translate } from '../web/i18n/catalog.ts';
import type { Language } from '../web/i18n/languages.ts';
import { translator } from '../web/i18n/catalog.ts';
import type { ExplainedCode } from '../../shared/sender/explain-bounce.ts';
import type { LookupResult } from '../reputation/lookup-view.ts';
import type { SenderCode } from './sender-codes-file.ts';
import { listingView } from './listing-view.ts';
import { formatSize, senderPage } from './sender-page.ts';

/** What the page knows of an IP a `listing: true` reply names: its lookup, or why there is none. */
export type IpStanding = LookupResult | 'private' | 'unavailable';

export interface WhyForm {
  csrf: string;
  maxBytes: number;
  /** The visitor's own pasted text, written back into the field. */
  text?: string;
  error?: string | null;
}

function form(t: Translate, f: WhyForm): Html {
  return html`<form method="post" action="/sender/why" enctype="multipart/form-data" class="stack">
<input type="hidden" name="_csrf" value="${f.csrf}">
<label for="bounce-text">${t('why.pasteLabel')}</label>
<textarea id="bounce-text" name="text" rows="10" spellcheck="false">${verbatim(f.text ?? '')}</textarea>
<label for="bounce-file">${t('why.fileLabel')}</label>
<input id="bounce-file" name="bounce" type="file" accept=".eml,.txt,message/rfc822,text/plain">
<p class="muted">${t('why.fileHint', { size: formatSize(f.maxBytes) })}</p>
<button type="submit">${t('why.submit')}</button>
</form>`;
}

export function whyFormPage(lang: Language, f: WhyForm): string {
  const t = translator(lang, 'sender');
  return senderPage(lang, '/sender/why', t('why.title'), html`<h1>${t('why.title')}</h1>
<p>${t('why.intro')}</p>
${f.error ? html`<p class="errors" role="alert" id="why-error">${f.error}</p>` : ''}
${form(t, f)}`);
}

function standing(ip: string, s: IpStanding | undefined, lang: Language, t: Translate): Html {
  if (s === 'private') return html`<p>${t('ip.private', { ip })}</p>`;
  if (s === 'unavailable' || s === undefined) return html`<p class="errors">${t('ip.unavailable')}</p>`;
  return listingView(s, lang, t);
}

function explained(c: ExplainedCode<SenderCode>, lang: Language, t: Translate, ips: Map<string, IpStanding>): Html {
  const permanent = c.code.startsWith('5');
  const e = c.entry;
  return html`<section class="card explained" data-code="${c.code}">
<h2><code>${c.code}</code> ${e ? e.title[lang] : ''}</h2>
<p><span class="badge ${permanent ? 'bad' : ''}">${permanent ? t('why.permanent') : t('why.temporary')}</span></p>
${c.replies.length ? html`<p>${t('why.reply')}:</p><ul class="replies">${c.replies.map((r) => html`<li><code>${r}</code></li>`)}</ul>` : ''}
${e
    ? html`<h3>${t('why.meaning')}</h3><p class="meaning">${e.meaning[lang]}</p><h3>${t('why.action')}</h3><p class="action">${e.action[lang]}</p>`
    : html`<p class="meaning">${t('why.unknownCode')}</p>`}
${e?.listing
    ? c.ips.length
      ? c.ips.map((ip) => html`<h3>${t('why.listingFor', { ip })}</h3>${standing(ip, ips.get(ip), lang, t)}`)
      : html`<p>${t('why.noIp')} <a href="/sender/ip">${t('nav.ip')}</a></p>`
    : ''}
<p><a href="/sender/policy" class="policy-link">${t('why.policyLink')}</a></p>
</section>`;
}

export function whyResultPage(lang: Language, codes: ExplainedCode<SenderCode>[], ips: Map<string, IpStanding>, f: WhyForm): string {
  const t = translator(lang, 'sender');
  const body = codes.length
    ? html`<p id="found">${t('why.found', { count: codes.length })}</p>${codes.map((c) => explained(c, lang, t, ips))}`
    : html`<p class="errors" role="alert" id="why-error">${t('why.noCodes')}</p><p><a href="/sender/policy" class="policy-link">${t('why.policyLink')}</a></p>`;
  return senderPage(lang, '/sender/why', t('why.resultTitle'), html`<h1>${t('why.resultTitle')}</h1>
${body}
<h2>${t('why.again')}</h2>
${form(t, f)}`);
}
