import type { Response } from 'express';
import { html, type Html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import { translator, type Translate } from '../web/i18n/catalog.ts';
import { isLanguage, DEFAULT_LANGUAGE, type Language } from '../web/i18n/languages.ts';

/** The sender portal's words in the visitor's language (set by languageMiddleware). */
export function senderLang(res: Response): { lang: Language; t: Translate } {
  const lang = isLanguage(res.locals.lang) ? res.locals.lang : DEFAULT_LANGUAGE;
  return { lang, t: translator(lang, 'sender') };
}

/** A portal page: the shared public layout, the language switch coming back to `path`, a way home. */
export function senderPage(lang: Language, path: string, title: string, body: Html, home = true): string {
  const t = translator(lang, 'sender');
  const back = home ? html`<p class="crumbs"><a href="/sender">${t('nav.home')}</a></p>` : '';
  return layout({ title, body: html`${back}${body}`, home: '/sender', locale: { lang, path } });
}

/** Sends a portal page: HTML, never cached (answers depend on the listing of the moment and on the language). */
export function sendPage(res: Response, status: number, body: string): void {
  res.status(status).set('Cache-Control', 'no-store').type('html').send(body);
}

/** A time for people: in their language, in UTC (said so), e.g. "3 March 2026 at 10:02 UTC". */
export function formatTime(at: string | Date, lang: Language): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return String(at);
  return `${new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(d)} UTC`;
}

/** Bytes for people: 2 MiB → "2 MB". */
export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
