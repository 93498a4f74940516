import { Router } from 'express';
import { html, type Html } from '../html.ts';
import { LANGUAGES, LANGUAGE_NAMES, isLanguage, type Language } from './languages.ts';
import { LANGUAGE_COOKIE } from './choose-language.ts';
import { translator } from './catalog.ts';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Only a path on this site may be the way back: `/sender?x=1` yes; `//evil.example`, `/\evil`,
 * `https://…` no (an open redirect would lend our name to a phishing link).
 */
export function safeReturnPath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\\]/.test(next)) return '/';
  return next;
}

/**
 * `GET /language?lang=it&next=/sender`: remembers the choice for a year and goes back. A plain link
 * (no form, no script), so it works everywhere; choosing a language changes nothing but the words.
 */
export function languageSwitchRoutes(): Router {
  const router = Router();
  router.get('/language', (req, res) => {
    const lang = req.query.lang;
    const back = safeReturnPath(req.query.next);
    if (!isLanguage(lang)) {
      res.status(400).type('text/plain').send(`lang must be one of: ${LANGUAGES.join(', ')}`);
      return;
    }
    res.cookie(LANGUAGE_COOKIE, lang, { maxAge: ONE_YEAR_MS, sameSite: 'lax', httpOnly: true, secure: req.secure, path: '/' });
    res.redirect(303, back);
  });
  return router;
}

/** The switch printed on every public page: links to the other languages, each named in itself. */
export function languageSwitch(current: Language, path: string): Html {
  const back = encodeURIComponent(safeReturnPath(path));
  return html`<nav class="lang-switch" aria-label="${translator(current, 'common')('languageSwitchLabel')}">${LANGUAGES.map((l) =>
    l === current
      ? html`<span lang="${l}" aria-current="true">${LANGUAGE_NAMES[l]}</span> `
      : html`<a href="/language?lang=${l}&amp;next=${back}" lang="${l}" hreflang="${l}">${LANGUAGE_NAMES[l]}</a> `,
  )}</nav>`;
}
