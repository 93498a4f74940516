import cookieParser from 'cookie-parser';
import express, { Router, type Request, type Response } from 'express';
import type { ApiContext } from '../context.ts';
import { redisRateLimit } from '../middleware/rate-limit.ts';
import { visitorCsrf } from '../web/visitor-csrf.ts';
import { loadTenancy } from '../../shared/tenancy/tenancy-store.ts';
import { ANSWERS, findByResponseToken, recordAnswer, type Answer } from './response-service.ts';
import { responseErrorPage, responsePage, type ResponseLocale } from './response-pages.ts';
import { chooseLanguage, languageMiddleware } from '../web/i18n/choose-language.ts';
import { isLanguage } from '../web/i18n/languages.ts';
import { translator } from '../web/i18n/catalog.ts';

/**
 * The tenant response page (AbuseIO's "ash" link): `GET /respond/:token` shows what was reported
 * (redacted) and a form; `POST` records an answer and redirects back (a GET never changes state).
 * Public: the 256-bit token is the credential; CSRF double-submit bound to a per-browser cookie;
 * per-IP limits in Redis. Works without JavaScript. In English or Italian (languageMiddleware).
 */
export function tenantResponseRoutes(ctx: ApiContext): Router {
  const router = Router();
  const csrf = visitorCsrf(ctx.config, ctx.log, 'respond');
  const token = (req: Request, res: Response) => csrf.token(req, res);
  const send = (res: Response, status: number, body: string) => res.status(status).set('Cache-Control', 'no-store').type('html').send(body);
  const limit = (name: string, n: number) => redisRateLimit({ redis: ctx.redis, prefix: ctx.config.REDIS_PREFIX, name, windowMs: 600_000, limit: n, log: ctx.log });
  const tenantName = async (id: string | null) => {
    const t = id ? (await loadTenancy(ctx.ds))?.tenancy.tenants.find((x) => x.id === id) : undefined;
    return t?.name ?? id ?? null;
  };
  const localeOf = (req: Request, res: Response): ResponseLocale => ({ lang: isLanguage(res.locals.lang) ? res.locals.lang : chooseLanguage(req), path: req.originalUrl });
  const notFound = (req: Request, res: Response) => send(res, 404, responseErrorPage('invalid', localeOf(req, res)));

  router.use('/respond', cookieParser(), languageMiddleware());
  router.get('/respond/:token', limit('respond-view', 300), async (req, res) => {
    const t = String(req.params.token);
    const view = await findByResponseToken(ctx.ds, t);
    if (!view) return notFound(req, res);
    const locale = localeOf(req, res);
    const flash = req.query.answered === '1' ? { kind: 'notice' as const, text: translator(locale.lang, 'response')('recorded') } : null;
    send(res, 200, responsePage(view, await tenantName(view.tenantId), token(req, res), t, flash, locale));
  });

  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 5 });
  router.post('/respond/:token', limit('respond-answer', 30), form, (req, res, next) =>
    csrf.protect(req, res, (err?: unknown) => (err ? send(res, 403, responseErrorPage('expired', localeOf(req, res))) : next())),
  async (req, res) => {
    const t = String(req.params.token);
    const view = await findByResponseToken(ctx.ds, t);
    if (!view) return notFound(req, res);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const answer = typeof b.answer === 'string' && (ANSWERS as readonly string[]).includes(b.answer) ? (b.answer as Answer) : null;
    const comment = typeof b.comment === 'string' ? b.comment.replace(/\r\n?/g, '\n').trim().slice(0, 2000) : '';
    if (!answer) {
      const locale = localeOf(req, res);
      const flash = { kind: 'errors' as const, text: translator(locale.lang, 'response')('chooseOne') };
      return send(res, 400, responsePage(view, await tenantName(view.tenantId), token(req, res), t, flash, locale));
    }
    await recordAnswer(ctx.ds, view, answer, comment, req.ip ?? null);
    res.redirect(303, `/respond/${t}?answered=1`);
  });
  return router;
}
