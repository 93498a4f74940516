import { html, type Html } from '../../web/html.ts';
import { layout } from '../../web/layout.ts';
import { translator, type Translate } from '../../web/i18n/catalog.ts';
import type { Language } from '../../web/i18n/languages.ts';

/** What every owner page is rendered with: the visitor's language, and where the switch comes back to. */
export interface PageLocale {
  lang: Language;
  /** The page's path without secrets (a token in the query must not reach the language links). */
  path: string;
}

export const words = (l: PageLocale): Translate => translator(l.lang, 'sender-data');

/** The owner pages' shell: public layout, own stylesheet, and scripts (only the chart has one). */
export function ownerPage(l: PageLocale, title: string, body: Html, scripts: string[] = []): string {
  return layout({
    title,
    body: html`<link rel="stylesheet" href="/static/sender-data/sender-data.css">${scripts.length ? html`<link rel="stylesheet" href="/static/vendor/uplot/uPlot.min.css">` : ''}${body}`,
    scripts,
    home: '/sender/data',
    locale: { lang: l.lang, path: l.path },
  });
}

export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);
export const utcMinute = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A form that changes something: POST with the visitor CSRF token. */
export function postForm(action: string, csrf: string, fields: Html | string, button: Html | string, opts: { id?: string; cls?: string; buttonCls?: string } = {}): Html {
  return html`<form method="post" action="${action}" class="${opts.cls ?? 'stack'}"${opts.id ? html` id="${opts.id}"` : ''}>
<input type="hidden" name="_csrf" value="${csrf}">${fields}
<button type="submit"${opts.buttonCls ? html` class="${opts.buttonCls}"` : ''}>${button}</button>
</form>`;
}
