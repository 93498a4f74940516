import type { Request, Response } from 'express';
import { chooseLanguage } from '../web/i18n/choose-language.ts';
import { isLanguage } from '../web/i18n/languages.ts';
import type { PageLocale } from './report-form.view.ts';

/** The page's language (set by languageMiddleware, else chosen here) and where the language switch comes back to. */
export function pageLocale(req: Request, res: Response): PageLocale {
  return { lang: isLanguage(res.locals.lang) ? res.locals.lang : chooseLanguage(req), path: req.originalUrl };
}
