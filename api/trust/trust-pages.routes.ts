import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import cookieParser from 'cookie-parser';
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { addressIdentity } from '../../shared/identity/normalize-address.ts';
import { enqueueTrustChanges } from '../../shared/queue/submission-queue.ts';
import { createConfirmation, findConfirmation, spendConfirmation } from '../../shared/trust/confirmations.ts';
import { issueAddress, revokeByIdentity } from '../../shared/trust/reporters-store.ts';
import { personalAddress } from '../../shared/trust/personal-address.ts';
import { confirmSubmission } from '../../shared/trust/trust-changes.ts';
import { parseIntakeAddresses } from '../smtp/intake-addresses.ts';
import { publicUrl } from '../reputation/public-url.ts';
import { MailBudget } from './mail-budget.ts';
import { visitorCsrf } from '../web/visitor-csrf.ts';
import { chooseLanguage, languageMiddleware } from '../web/i18n/choose-language.ts';
import { isLanguage } from '../web/i18n/languages.ts';
import { reporterLinkMail } from './trust-mails.ts';
import {
  confirmReportPage, linkInvalidPage, linkUsedPage, reportConfirmedPage, reporterAddressPage, reporterConfirmPage,
  reporterRevokedPage, reportersMailedPage, reportersPage, trustErrorPage, type TrustLocale,
} from './trust-pages.ts';

const email = z.string().trim().min(1).max(254).pipe(z.email());
/** The visitor's language (languageMiddleware) and the path the language switch comes back to. */
const localeOf = (req: Request, res: Response): TrustLocale => ({ lang: isLanguage(res.locals.lang) ? res.locals.lang : chooseLanguage(req), path: req.originalUrl });
const field = (req: Request, name: string) => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

/**
 * The public pages of reporter trust. `/report/confirm`: a web report's mailed link — GET shows
 * the report and a Confirm button, only the POST (with a CSRF token) changes anything, because
 * mail scanners open links. `/reporters`: enter an address → mailed link → the page shows the
 * personal reporting address once; the same way, a revocation. In English or Italian, as the
 * visitor chose (languageMiddleware); the mailed link speaks the language of the request for it.
 */
export function trustPageRoutes(ctx: ApiContext): Router {
  const router = Router();
  const csrf = visitorCsrf(ctx.config, ctx.log, 'trust');
  const budget = new MailBudget(ctx.redis, ctx.config);
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });
  const domain = [...parseIntakeAddresses(ctx.config.INTAKE_ADDRESSES).keys()][0]!.split('@')[1]!;
  const send = (res: Response, status: number, body: string) => res.status(status).set('Cache-Control', 'no-store').type('html').send(body);
  const query = (req: Request) => (typeof req.query.token === 'string' ? req.query.token : '');

  router.use(['/report/confirm', '/reporters'], cookieParser(), languageMiddleware());

  router.get('/report/confirm', async (req, res) => {
    const token = query(req);
    const found = await findConfirmation(ctx.ds.manager, token, ['report'], new Date());
    const locale = localeOf(req, res);
    if (!found || found.state === 'expired') return send(res, 404, linkInvalidPage('reportAgain', locale));
    if (found.state === 'used') return send(res, 200, linkUsedPage('reportConfirmed', locale));
    const c = found.confirmation;
    const [s]: { received_at: Date; category: string | null }[] = await ctx.ds.query(`SELECT received_at, category FROM submissions WHERE id = $1`, [c.submissionId]);
    if (!s) return send(res, 404, linkInvalidPage('reportGone', locale));
    send(res, 200, confirmReportPage(csrf.token(req, res), token, { trackingId: c.submissionId!, email: c.email, receivedAt: s.received_at, category: s.category }, locale));
  });

  router.post('/report/confirm', form, csrf.protect, async (req, res) => {
    const token = field(req, 'token');
    const now = new Date();
    const done = await ctx.ds.transaction(async (em) => {
      const c = await spendConfirmation(em, token, ['report'], now);
      return c ? { c, change: await confirmSubmission(em, c.submissionId!, c.email, now) } : null;
    });
    const locale = localeOf(req, res);
    if (!done) {
      const found = await findConfirmation(ctx.ds.manager, token, ['report'], now);
      if (found?.state === 'used') return send(res, 200, linkUsedPage('reportConfirmed', locale));
      return send(res, 404, linkInvalidPage('reportAgain', locale));
    }
    if (done.change.changeId) await queueChange(ctx, done.change.changeId);
    send(res, 200, reportConfirmedPage(done.c.submissionId!, done.change.changeId !== null, locale));
  });

  router.get('/reporters', (req, res) => send(res, 200, reportersPage(csrf.token(req, res), { domain }, localeOf(req, res))));

  router.post('/reporters', form, csrf.protect, async (req, res) => {
    const parsed = email.safeParse(field(req, 'email'));
    const identity = parsed.success ? addressIdentity(parsed.data) : null;
    const locale = localeOf(req, res);
    if (!parsed.success || !identity) {
      return send(res, 400, reportersPage(csrf.token(req, res), { domain, email: field(req, 'email').slice(0, 254), error: true }, locale));
    }
    const purpose = field(req, 'action') === 'revoke' ? 'revoke' : 'reporter';
    if (!(await budget.take(identity, req.ip ?? null))) {
      res.set('Retry-After', '3600');
      return send(res, 429, trustErrorPage('tooMany', '/reporters', locale));
    }
    const to = parsed.data.toLowerCase();
    try {
      const link = await createConfirmation(ctx.ds.manager, { purpose, email: to, identity, clientIp: req.ip ?? null, now: new Date() });
      await ctx.mailer.send(reporterLinkMail(to, purpose, `${publicUrl(ctx.config)}/reporters/confirm?token=${link.token}`, locale.lang));
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message }, 'reporters: could not mail the link');
      return send(res, 503, trustErrorPage('mailFailed', '/reporters', locale));
    }
    send(res, 200, reportersMailedPage(to, locale));
  });

  router.get('/reporters/confirm', async (req, res) => {
    const token = query(req);
    const found = await findConfirmation(ctx.ds.manager, token, ['reporter', 'revoke'], new Date());
    const locale = localeOf(req, res);
    if (!found || found.state === 'expired') return send(res, 404, linkInvalidPage('askAgain', locale));
    if (found.state === 'used') return send(res, 200, linkUsedPage('addressShown', locale));
    const purpose = found.confirmation.purpose === 'revoke' ? 'revoke' : 'reporter';
    send(res, 200, reporterConfirmPage(csrf.token(req, res), token, purpose, found.confirmation.email, locale));
  });

  router.post('/reporters/confirm', form, csrf.protect, async (req, res) => {
    const token = field(req, 'token');
    const now = new Date();
    const out = await ctx.ds.transaction(async (em) => {
      const c = await spendConfirmation(em, token, ['reporter', 'revoke'], now);
      if (!c) return null;
      if (c.purpose === 'revoke') return { c, revoked: await revokeByIdentity(em, c.identity, 'reporter', 'revoked by the reporter through a mailed link', now) };
      return { c, issued: await issueAddress(em, c.email, c.identity, now) };
    });
    const locale = localeOf(req, res);
    if (!out) {
      const found = await findConfirmation(ctx.ds.manager, token, ['reporter', 'revoke'], now);
      if (found?.state === 'used') return send(res, 200, linkUsedPage('addressShown', locale));
      return send(res, 404, linkInvalidPage('askAgain', locale));
    }
    if (out.issued) return send(res, 200, reporterAddressPage(personalAddress(out.issued.token, domain), out.c.email, out.issued.replaced, locale));
    send(res, 200, reporterRevokedPage(out.c.email, out.revoked ?? 0, locale));
  });

  const csrfFailed: ErrorRequestHandler = (err, req, res, next) => {
    if ((err as { code?: string }).code !== 'EBADCSRFTOKEN') return next(err);
    send(res, 403, trustErrorPage('expired', req.originalUrl.startsWith('/reporters') ? '/reporters' : '/report', localeOf(req, res)));
  };
  router.use(['/report/confirm', '/reporters'], csrfFailed);
  return router;
}

async function queueChange(ctx: ApiContext, changeId: string): Promise<void> {
  await enqueueTrustChanges(ctx.queue, changeId).catch((err: Error) =>
    ctx.log.warn({ err: err.message, changeId }, 'trust change not queued; the schedule applies it'),
  );
}
