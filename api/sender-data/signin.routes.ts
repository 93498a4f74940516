import { Router } from 'express';
import { z } from 'zod';
import { addressIdentity } from '../../shared/identity/normalize-address.ts';
import { createConfirmation, findConfirmation, spendConfirmation } from '../../shared/trust/confirmations.ts';
import { createOwnerSession, endOwnerSession, ownerFor } from '../../shared/sender-data/owners-store.ts';
import type { OwnerKit } from './owner-kit.ts';
import { clearOwnerCookie, ownerToken, setOwnerCookie } from './owner-session.ts';
import { signinMail } from './owner-mails.ts';
import { confirmLinkPage, linkInvalidPage, mailedPage, signinPage } from './pages/auth-pages.ts';
import { words } from './pages/shell.ts';

const email = z.string().trim().min(1).max(254).pipe(z.email());

/**
 * Owner sign-in by a single-use mailed link (purpose `owner-signin`): POST an address → link;
 * GET of the link shows a button (scanners open links); its POST spends the token and starts the
 * session. The page says "check your mail" whatever the address (no enumeration).
 */
export function signinRoutes(k: OwnerKit): Router {
  const router = Router();
  const { ctx } = k;

  router.post('/sender/data/signin', k.form, k.csrf.protect, async (req, res) => {
    const l = k.locale(res);
    const parsed = email.safeParse(k.field(req, 'email'));
    const identity = parsed.success ? addressIdentity(parsed.data) : null;
    if (!parsed.success || !identity) return k.send(res, 400, signinPage(l, k.csrf.token(req, res), { email: k.field(req, 'email').slice(0, 254), error: words(l)('badEmail') }));
    let sent = false;
    // Over the mail budget (per address and per client IP) is the visitor's limit, 429; a relay that fails is ours, 503.
    const allowed = await k.budget.take(identity, req.ip ?? null);
    if (allowed) {
      const c = await createConfirmation(ctx.ds.manager, { purpose: 'owner-signin', email: parsed.data, identity, clientIp: req.ip ?? null, now: new Date() });
      sent = await ctx.mailer.send(signinMail(parsed.data, `${k.base}/sender/data/signin?token=${c.token}`)).then(() => true, (err: Error) => {
        ctx.log.warn({ err: err.message }, 'sender data: sign-in mail failed');
        return false;
      });
    }
    k.send(res, sent ? 200 : allowed ? 503 : 429, mailedPage(l, parsed.data, sent));
  });

  router.get('/sender/data/signin', async (req, res) => {
    const l = k.locale(res);
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const found = await findConfirmation(ctx.ds.manager, token, ['owner-signin'], new Date());
    if (found?.state !== 'live') return k.send(res, 404, linkInvalidPage(l));
    const t = words(l);
    k.send(res, 200, confirmLinkPage(l, k.csrf.token(req, res), { heading: t('confirmSigninHeading', { email: found.confirmation.email }), action: '/sender/data/signin/confirm', token, button: t('confirmSigninButton') }));
  });

  router.post('/sender/data/signin/confirm', k.form, k.csrf.protect, async (req, res) => {
    const now = new Date();
    const session = await ctx.ds.transaction(async (em) => {
      const c = await spendConfirmation(em, k.field(req, 'token'), ['owner-signin'], now);
      if (!c) return null;
      const owner = await ownerFor(em, c.identity);
      return createOwnerSession(em, owner.id, now);
    });
    if (!session) return k.send(res, 404, linkInvalidPage(k.locale(res)));
    setOwnerCookie(ctx, res, session.token);
    res.redirect(303, '/sender/data');
  });

  router.post('/sender/data/signout', k.form, k.csrf.protect, async (req, res) => {
    await endOwnerSession(ctx.ds.manager, ownerToken(ctx, req));
    clearOwnerCookie(ctx, res);
    res.redirect(303, '/sender/data');
  });
  return router;
}
