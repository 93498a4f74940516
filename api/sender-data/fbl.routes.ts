import { Router } from 'express';
import { z } from 'zod';
import { addressIdentity } from '../../shared/identity/normalize-address.ts';
import { createConfirmation, findConfirmation, spendConfirmation } from '../../shared/trust/confirmations.ts';
import { activateFbl, removeFbl, subscribeFbl, subscriptionById } from '../../shared/sender-data/fbl-store.ts';
import type { OwnerKit } from './owner-kit.ts';
import { currentOwner } from './owner-session.ts';
import { renderDashboard } from './data.routes.ts';
import { fblConfirmMail } from './owner-mails.ts';
import { confirmLinkPage, donePage, linkInvalidPage } from './pages/auth-pages.ts';
import { words } from './pages/shell.ts';

const email = z.string().trim().min(1).max(254).pipe(z.email());

/**
 * Feedback-loop subscriptions: an owner with a verified range names an address; it is mailed a
 * single-use link (purpose `owner-fbl`) and receives copies only once its reader confirms — so
 * nobody can subscribe a stranger to our mail.
 */
export function fblRoutes(k: OwnerKit): Router {
  const router = Router();
  const { ctx } = k;

  router.post('/sender/data/fbl', k.form, k.csrf.protect, async (req, res) => {
    const owner = currentOwner(res);
    if (!owner) return res.redirect(303, '/sender/data');
    const t = words(k.locale(res));
    const parsed = email.safeParse(k.field(req, 'email'));
    const identity = parsed.success ? addressIdentity(parsed.data) : null;
    const [hasRange] = await ctx.ds.query(`SELECT 1 FROM sender_ranges WHERE owner_id = $1 AND status = 'verified' LIMIT 1`, [owner.id]);
    if (!parsed.success || !identity) return renderDashboard(k, req, res, owner, 400, { notice: t('badEmail') });
    if (!hasRange) return renderDashboard(k, req, res, owner, 400, { notice: t('fblNeedsRange') });
    const sub = await subscribeFbl(ctx.ds.manager, owner.id, parsed.data.toLowerCase());
    let sent = sub.status === 'active';
    if (!sent && (await k.budget.take(identity, req.ip ?? null))) {
      const c = await createConfirmation(ctx.ds.manager, { purpose: 'owner-fbl', email: sub.email, identity: sub.id, clientIp: req.ip ?? null, now: new Date() });
      sent = await ctx.mailer.send(fblConfirmMail(sub.email, owner.email, `${k.base}/sender/data/fbl/confirm?token=${c.token}`)).then(() => true, (err: Error) => {
        ctx.log.warn({ err: err.message }, 'sender data: FBL confirmation mail failed');
        return false;
      });
    }
    await renderDashboard(k, req, res, owner, sent ? 200 : 503, { notice: sent ? t('mailedText', { email: sub.email }) : t('mailNotSent') });
  });

  router.get('/sender/data/fbl/confirm', async (req, res) => {
    const l = k.locale(res);
    const t = words(l);
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const found = await findConfirmation(ctx.ds.manager, token, ['owner-fbl'], new Date());
    const sub = found?.state === 'live' ? await subscriptionById(ctx.ds.manager, found.confirmation.identity) : null;
    if (!sub || sub.status !== 'pending') return k.send(res, 404, linkInvalidPage(l));
    const [owner]: { email: string }[] = await ctx.ds.query(`SELECT email FROM sender_owners WHERE id = $1`, [sub.ownerId]);
    const v = { email: sub.email, owner: owner?.email ?? '' };
    k.send(res, 200, confirmLinkPage(l, k.csrf.token(req, res), { heading: t('fblConfirmHeading', v), text: t('fblConfirmText', v), action: '/sender/data/fbl/confirm', token, button: t('fblConfirmButton') }));
  });

  router.post('/sender/data/fbl/confirm', k.form, k.csrf.protect, async (req, res) => {
    const l = k.locale(res);
    const t = words(l);
    const now = new Date();
    const sub = await ctx.ds.transaction(async (em) => {
      const c = await spendConfirmation(em, k.field(req, 'token'), ['owner-fbl'], now);
      return c && (await activateFbl(em, c.identity, now)) ? c : null;
    });
    if (!sub) return k.send(res, 404, linkInvalidPage(l));
    k.send(res, 200, donePage(l, t('fblHeading'), t('fblConfirmed', { email: sub.email }), 'subscribed'));
  });

  router.post('/sender/data/fbl/:id/remove', k.form, k.csrf.protect, async (req, res) => {
    const owner = currentOwner(res);
    if (!owner) return res.redirect(303, '/sender/data');
    if (/^[0-9a-f-]{36}$/.test(String(req.params.id))) await removeFbl(ctx.ds.manager, owner.id, String(req.params.id), new Date());
    res.redirect(303, '/sender/data');
  });
  return router;
}
