import cookieParser from 'cookie-parser';
import express, { Router, type ErrorRequestHandler } from 'express';
import { redisRateLimit } from '../middleware/rate-limit.ts';
import { fileURLToPath } from 'node:url';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { languageMiddleware } from '../web/i18n/choose-language.ts';
import type { Language } from '../web/i18n/languages.ts';
import { ownerKit } from './owner-kit.ts';
import { withOwner } from './owner-session.ts';
import { signinRoutes } from './signin.routes.ts';
import { dataRoutes } from './data.routes.ts';
import { rangeRoutes } from './ranges.routes.ts';
import { fblRoutes } from './fbl.routes.ts';
import { senderRangeRoutes } from './sender-ranges.routes.ts';
import { errorPage } from './pages/auth-pages.ts';
import { words } from './pages/shell.ts';

/**
 * Data for IP owners (docs/sender-data.md): the public, rate-limited owner pages under
 * /sender/data, their static files, and the analysts' JSON API for access requests.
 */
export function senderDataRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  router.use('/static/sender-data', express.static(fileURLToPath(new URL('./static/', import.meta.url)), { index: false, fallthrough: false, maxAge: '1h' }));
  router.use(senderRangeRoutes(ctx, auth));

  const perIp = redisRateLimit({
    redis: ctx.redis,
    prefix: ctx.config.REDIS_PREFIX,
    name: 'sender-data',
    windowMs: 600_000,
    limit: ctx.config.SENDER_DATA_LIMIT_PER_IP,
    log: ctx.log,
    onLimit: (_req, res) => void res.status(429).set('Retry-After', '600').type('html').send(errorPage({ lang: res.locals.lang as Language, path: '/sender/data' }, words({ lang: res.locals.lang as Language, path: '' })('tooMany'))),
  });
  router.use('/sender/data', languageMiddleware(), perIp, cookieParser(), withOwner(ctx));
  const k = ownerKit(ctx);
  router.use(signinRoutes(k), dataRoutes(k), rangeRoutes(k), fblRoutes(k));

  const csrfError: ErrorRequestHandler = (err, req, res, next) => {
    if ((err as { code?: string }).code !== 'EBADCSRFTOKEN' || !req.path.startsWith('/sender/data')) return next(err);
    const l = k.locale(res);
    k.send(res, 403, errorPage(l, words(l)('formExpired')));
  };
  router.use(csrfError);
  return router;
}
