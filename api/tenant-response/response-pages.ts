import { html, type Html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import { translator, type Translate } from '../web/i18n/catalog.ts';
import { richText } from '../web/i18n/rich-text.ts';
import type { Language } from '../web/i18n/languages.ts';
import { ANSWERS, type ResponseView } from './response-service.ts';

/**
 * The tenant response page (public; no scripts; every value escaped by `html`), in the visitor's
 * language (namespace `response`). The name in the header leads nowhere: a tenant has no business
 * at the analyst login.
 */

/** The page's language and the path the language switch comes back to. */
export interface ResponseLocale {
  lang: Language;
  path: string;
}

const page = (title: string, body: Html, locale: ResponseLocale) => layout({ title, body, home: null, locale });
const words = (locale: ResponseLocale): Translate => translator(locale.lang, 'response');
const minute = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

export function responsePage(
  v: ResponseView, tenantName: string | null, csrf: string, token: string, flash: { kind: 'notice' | 'errors'; text: string } | null, locale: ResponseLocale,
): string {
  const t = words(locale);
  const sent = v.channel === 'digest' ? 'sentDigest' : 'sentReport';
  const body: Html = html`<h1>${t('heading', { tenant: tenantName ?? t('yourOrganisation') })}</h1>
${flash ? html`<p class="${flash.kind}" role="status">${flash.text}</p>` : ''}
<p>${v.sentAt ? richText(t, `${sent}On`, { time: html`<time datetime="${v.sentAt.toISOString()}">${minute(v.sentAt)} UTC</time>` }) : t(sent)}
${t('hidden')}</p>
<section class="card"><h2>${t('whatReported')}</h2>
<div class="table-wrap"><table><thead><tr><th>${t('columns.received')}</th><th>${t('columns.ip')}</th><th>${t('columns.type')}</th><th>${t('columns.subject')}</th><th>${t('columns.fromDomain')}</th></tr></thead><tbody>
${v.reports.map((r) => html`<tr><td class="nowrap">${minute(r.receivedAt)}</td><td class="mono">${r.originatingIp ?? '–'}</td><td>${r.feedbackType ?? 'abuse'}</td><td class="clip">${r.subject || t('noSubject')}</td><td>${r.fromDomain ?? '–'}</td></tr>`)}
</tbody></table></div>
${v.reports.length === 0 ? html`<p class="muted">${t('removed')}</p>` : ''}</section>
${v.answers.length ? html`<section class="card"><h2>${t('answersSoFar')}</h2><ul>${v.answers.map((a) => html`<li><strong>${t(`answers.${a.answer}`)}</strong> (${minute(a.at)} UTC)${a.comment ? html`: ${a.comment}` : ''}</li>`)}</ul></section>` : ''}
<section class="card"><h2>${t('tellUs')}</h2>
<form method="post" action="/respond/${token}" class="form">
<input type="hidden" name="_csrf" value="${csrf}">
<fieldset><legend>${t('yourAnswer')}</legend>
${ANSWERS.map((k) => html`<label><input type="radio" name="answer" value="${k}" required> ${t(`answers.${k}`)}</label><br>`)}
</fieldset>
<label for="comment">${t('comment')}</label>
<textarea id="comment" name="comment" maxlength="2000" rows="4"></textarea>
<button type="submit">${t('send')}</button>
</form>
<p class="muted">${t('validity')}</p></section>`;
  return page(t('title'), body, locale);
}

/** `what`: a pair of keys, `<what>Title` and `<what>`. */
export function responseErrorPage(what: 'invalid' | 'expired', locale: ResponseLocale): string {
  const t = words(locale);
  return page(t(`${what}Title`), html`<h1>${t(`${what}Title`)}</h1><p>${t(what)}</p>`, locale);
}
