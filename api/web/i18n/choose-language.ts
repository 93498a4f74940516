import type { Request, RequestHandler } from 'express';
import { DEFAULT_LANGUAGE, LANGUAGES, isLanguage, type Language } from './languages.ts';

/** The cookie that remembers a visitor's choice from the language switch. */
export const LANGUAGE_COOKIE = 'lang';

/**
 * The visitor's language: the one they chose with the switch (a cookie), else the best match of
 * their browser's Accept-Language, else English. Reads the Cookie header itself, so it works on
 * routers without cookie-parser.
 */
export function chooseLanguage(req: Request): Language {
  const chosen = readCookie(req.headers.cookie, LANGUAGE_COOKIE);
  if (isLanguage(chosen)) return chosen;
  const accepted = req.acceptsLanguages(...LANGUAGES);
  return isLanguage(accepted) ? accepted : DEFAULT_LANGUAGE;
}

/** Sets `res.locals.lang` for the pages below, and tells caches the answer depends on it. */
export function languageMiddleware(): RequestHandler {
  return (req, res, next) => {
    res.locals.lang = chooseLanguage(req);
    res.vary('Accept-Language');
    res.vary('Cookie');
    next();
  };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
