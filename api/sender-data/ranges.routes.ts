import { Router } from 'express';
import { addressIdentity } from '../../shared/identity/normalize-address.ts';
import { createConfirmation, findConfirmation, spendConfirmation } from '../../shared/trust/confirmations.ts';
import { isRangeError, parseOwnerRange, type RangeError } from '../../shared/sender-data/owner-range.ts';
import { PROOF_LOCAL_PARTS, ptrDomains } from '../../shared/sender-data/ptr-proof.ts';
import { decideRange, markMailed, rangeById, requestRange } from '../../shared/sender-data/ranges-store.ts';
import type { Translate } from '../web/i18n/catalog.ts';
import type { OwnerKit } from './owner-kit.ts';
import { currentOwner } from './owner-session.ts';
import { renderDashboard } from './data.routes.ts';
import { rangeProofMail } from './owner-mails.ts';
import { confirmLinkPage, donePage, linkInvalidPage } from './pages/auth-pages.ts';
import { words } from './pages/shell.ts';

const rangeMessage = (t: Translate, e: RangeError): string =>
  e.error === 'syntax' ? t('rangeError_syntax', { input: e.input }) : e.error === 'too_wide' ? t('rangeError_too_wide', { max: e.max }) : e.error === 'not_public' ? t('rangeError_not_public', { range: e.range }) : t('rangeError_empty');

/**
 * Access requests, proved the SNDS way: the PTR names of the range's first addresses give
 * registrable domains; a link mailed to postmaster@ or abuse@ of one of them (only those: the
 * owner picks, we never mail an address they typed) grants the range when its reader confirms.
 * Without PTR names the request waits for an analyst (/v1/sender-ranges).
 */
export function rangeRoutes(k: OwnerKit): Router {
  const router = Router();
  const { ctx } = k;

  router.post('/sender/data/ranges', k.form, k.csrf.protect, async (req, res) => {
    const owner = currentOwner(res);
    if (!owner) return res.redirect(303, '/sender/data');
    const t = words(k.locale(res));
    const input = k.field(req, 'range').slice(0, 64);
    const range = parseOwnerRange(input);
    if (isRangeError(range)) return renderDashboard(k, req, res, owner, 400, { rangeError: rangeMessage(t, range), rangeInput: input });
    const proof = await ptrDomains(range, { servers: ctx.config.DNS_SERVERS, sample: ctx.config.SENDER_PTR_SAMPLE });
    const request = await requestRange(ctx.ds.manager, owner.id, range.cidr, proof.domains);
    const notice = request.status !== 'pending' ? null
      : proof.domains.length ? t('proofFound') : t('proofNone', { sampled: proof.sampled });
    await renderDashboard(k, req, res, owner, 200, { notice: notice ? `${t('proofHeading', { range: range.cidr })} — ${notice}` : null });
  });

  router.post('/sender/data/ranges/:id/mail', k.form, k.csrf.protect, async (req, res) => {
    const owner = currentOwner(res);
    if (!owner) return res.redirect(303, '/sender/data');
    const t = words(k.locale(res));
    const request = /^[0-9a-f-]{36}$/.test(String(req.params.id)) ? await rangeById(ctx.ds.manager, String(req.params.id)) : null;
    const to = k.field(req, 'to').trim().toLowerCase();
    const offered = request?.ptrDomains.flatMap((d) => PROOF_LOCAL_PARTS.map((p) => `${p}@${d}`)) ?? [];
    if (!request || request.ownerId !== owner.id || request.status !== 'pending' || !offered.includes(to)) {
      return renderDashboard(k, req, res, owner, 400, { rangeError: t('alreadyDecided') });
    }
    let sent = false;
    if (await k.budget.take(addressIdentity(to) ?? to, req.ip ?? null)) {
      const c = await createConfirmation(ctx.ds.manager, { purpose: 'owner-range', email: to, identity: request.id, clientIp: req.ip ?? null, now: new Date() });
      sent = await ctx.mailer.send(rangeProofMail(to, owner.email, request.cidr, `${k.base}/sender/data/verify?token=${c.token}`)).then(() => true, (err: Error) => {
        ctx.log.warn({ err: err.message }, 'sender data: range proof mail failed');
        return false;
      });
      if (sent) await markMailed(ctx.ds.manager, request.id, to);
    }
    await renderDashboard(k, req, res, owner, sent ? 200 : 503, sent ? { notice: t('proofMailed', { to }) } : { rangeError: t('mailNotSent') });
  });

  router.get('/sender/data/verify', async (req, res) => {
    const l = k.locale(res);
    const t = words(l);
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const found = await findConfirmation(ctx.ds.manager, token, ['owner-range'], new Date());
    const request = found?.state === 'live' ? await rangeById(ctx.ds.manager, found.confirmation.identity) : null;
    if (!request) return k.send(res, 404, linkInvalidPage(l));
    if (request.status !== 'pending') return k.send(res, 200, linkInvalidPage(l, t('alreadyDecided')));
    const v = { email: request.ownerEmail, range: request.cidr };
    k.send(res, 200, confirmLinkPage(l, k.csrf.token(req, res), { heading: t('verifyHeading', v), text: t('verifyText', v), action: '/sender/data/verify', token, button: t('verifyButton') }));
  });

  router.post('/sender/data/verify', k.form, k.csrf.protect, async (req, res) => {
    const l = k.locale(res);
    const t = words(l);
    const now = new Date();
    const decided = await ctx.ds.transaction(async (em) => {
      const c = await spendConfirmation(em, k.field(req, 'token'), ['owner-range'], now);
      return c ? decideRange(em, c.identity, { status: 'verified', method: 'ptr', by: `mailbox:${c.email}`, note: `confirmed by ${c.email}`, now }) : null;
    });
    if (!decided) return k.send(res, 404, linkInvalidPage(l));
    k.send(res, 200, donePage(l, t('verifiedHeading'), t('verifiedText', { email: decided.ownerEmail, range: decided.cidr }), 'verified'));
  });
  return router;
}
