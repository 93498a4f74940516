import { html, type Html } from './html.ts';
import { languageSwitch } from './i18n/language-switch.ts';
import type { Language } from './i18n/languages.ts';

export interface LayoutOptions {
  title: string;
  body: Html;
  /** Extra script files under /static (no inline scripts: the CSP forbids them). */
  scripts?: string[];
  /** Navigation for signed-in analysts; public pages pass nothing. */
  nav?: Html;
  /**
   * Where the name in the header leads. @defaultValue '/' (the analyst dashboard). Public pages
   * pass their own start page (a reporter has no business at the analyst login), or null for no link.
   */
  home?: string | null;
  /**
   * Public pages in the visitor's language (api/web/i18n): sets `<html lang>` and prints the
   * language switch, which comes back to `path`. The analyst UI passes nothing (English only).
   */
  locale?: { lang: Language; path: string };
}

/** The page shell shared by public pages (report form, delist portal) and the analyst UI. */
export function layout({ title, body, scripts = [], nav, home = '/', locale }: LayoutOptions): string {
  return `<!doctype html>${html`<html lang="${locale?.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · abuse-intake</title>
<link rel="stylesheet" href="/static/app.css">
${scripts.map((s) => html`<script src="/static/${s}" defer></script>`)}
</head>
<body>
<header class="top">${home === null ? html`<span class="brand">abuse-intake</span>` : html`<a class="brand" href="${home}">abuse-intake</a>`}${nav ?? ''}${locale ? languageSwitch(locale.lang, locale.path) : ''}</header>
<main>${body}</main>
</body>
</html>`}`;
}
