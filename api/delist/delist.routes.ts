import express, { Router, type Request } from 'express';
import type { ApiContext } from '../context.ts';
import { isAppError } from '../../shared/errors/app-error.ts';
import { reputationSettings } from '../../shared/reputation/settings.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { isPublicIp, parseIp } from '../reputation/ip-param.ts';
import { publicUrl } from '../reputation/public-url.ts';
import { audit } from './delist-audit.ts';
import { delistCsrf, delistLimits } from './delist-guards.ts';
import { delistConfirmationMail } from './delist-mailer.ts';
import { confirmPage, errorPage, formPage, mailedPage, notListedPage, resultPage } from './delist-pages.ts';
import { confirmRequest, createRequest, findByToken } from './delist-service.ts';
import { senderLang } from '../sender/sender-page.ts';

const EMAIL = /^[^\s@<>(),;:"\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const field = (req: Request, name: string) => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

/**
 * The public self-service delist portal, part of the sender portal (mounted by sender.routes.ts,
 * which sets the language and parses cookies under /sender): form → mailed single-use link →
 * confirm page → the rules decide (automatic removal or an analyst). One IP and one email per
 * request; rate-limited per client IP and per email; every step audited.
 */
export function delistRoutes(ctx: ApiContext): Router {
  const router = Router();
  const csrf = delistCsrf(ctx);
  const limits = delistLimits(ctx);
  const settings = reputationSettings(ctx.config);
  const cache = new IpCache(ctx.redis, ctx.config.REDIS_PREFIX);
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });
  const send = (res: express.Response, status: number, body: string) => res.status(status).set('Cache-Control', 'no-store').type('html').send(body);

  router.get('/sender/delist', csrf.ensureSid, (req, res) => {
    const ip = typeof req.query.ip === 'string' ? req.query.ip.slice(0, 64) : '';
    send(res, 200, formPage(senderLang(res).lang, csrf.token(req, res), ip));
  });

  router.post('/sender/delist', form, csrf.ensureSid, csrf.protect, limits.perIp, limits.perEmail, async (req, res) => {
    const { lang, t } = senderLang(res);
    const rawIp = field(req, 'ip');
    const email = field(req, 'email').trim();
    let ip: string;
    try {
      ip = parseIp(rawIp);
    } catch {
      return send(res, 400, formPage(lang, csrf.token(req, res), rawIp.slice(0, 64), t('delist.invalidIp')));
    }
    if (!isPublicIp(ip)) return send(res, 400, formPage(lang, csrf.token(req, res), ip, t('delist.privateIp', { ip })));
    if (email.length > 254 || !EMAIL.test(email)) return send(res, 400, formPage(lang, csrf.token(req, res), ip, t('delist.invalidEmail')));
    const clientIp = req.ip ?? null;
    const created = await createRequest(ctx.ds, ip, email, clientIp, new Date());
    if (!created) return send(res, 200, notListedPage(lang, ip));
    const link = `${publicUrl(ctx.config)}/sender/delist/confirm?token=${created.token}`;
    try {
      await ctx.mailer.send(delistConfirmationMail(email, ip, link));
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message, requestId: created.id }, 'delist portal: could not mail the link');
      await audit(ctx.ds.manager, { requestId: created.id, ip, email, clientIp, action: 'mail_failed', detail: (err as Error).message });
      return send(res, 503, errorPage(lang, t('delist.mailFailedTitle'), t('delist.mailFailed')));
    }
    await audit(ctx.ds.manager, { requestId: created.id, ip, email, clientIp, action: 'mailed', detail: 'confirmation link mailed' });
    send(res, 200, mailedPage(lang, ip, email));
  });

  router.get('/sender/delist/confirm', csrf.ensureSid, async (req, res) => {
    const { lang, t } = senderLang(res);
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const found = await findByToken(ctx.ds.manager, token, new Date());
    if (!found) return send(res, 404, errorPage(lang, t('delist.badLinkTitle'), t('delist.badLink')));
    await audit(ctx.ds.manager, { requestId: found.request.id, ip: found.request.ip, email: found.request.email, clientIp: req.ip ?? null, action: 'opened', detail: 'confirmation page shown' });
    send(res, 200, confirmPage(lang, req.originalUrl, csrf.token(req, res), token, found.request, found.listing));
  });

  router.post('/sender/delist/confirm', form, csrf.ensureSid, csrf.protect, async (req, res) => {
    const { lang, t } = senderLang(res);
    try {
      const out = await confirmRequest(ctx.ds, cache, settings, field(req, 'token'), req.ip ?? null, new Date());
      send(res, 200, resultPage(lang, out.request.ip, out.status, out.reasons));
    } catch (err) {
      if (isAppError(err) && err.code === 'not_found') return send(res, 404, errorPage(lang, t('delist.badLinkTitle'), t('delist.badLink')));
      throw err;
    }
  });
  return router;
}
