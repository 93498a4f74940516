import { Router, urlencoded } from 'express';
import { z } from 'zod';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { removeListing } from '../../shared/reputation/store/listings-repo.ts';
import type { ApiContext } from '../context.ts';
import type { CsrfKit } from './csrf.ts';
import { requireUser, withSession } from './ui-auth.ts';
import { bodyText, normalizeIp } from '../edge/params.ts';

const reasonForm = z.object({ reason: bodyText(1000, 3) });

/**
 * `POST /ui/ips/:ip/unlist`: the IP page's "remove listing" form, doing what
 * `DELETE /v1/listings/:ip` does (remove with a `manual` history entry, then refresh the lookup
 * cache), with the signed-in user as the actor. Manual *listing* stays in the API, which owns the
 * platform-address checks.
 */
export function listingActionRoutes(ctx: ApiContext, csrf: CsrfKit): Router {
  const router = Router();
  const cache = new IpCache(ctx.redis, ctx.config.REDIS_PREFIX);
  router.post('/ui/ips/:ip/unlist', withSession(ctx), requireUser('analyst', 'admin'), urlencoded({ extended: false, limit: '8kb' }), csrf.protect, async (req, res) => {
    const ip = normalizeIp(String(req.params.ip));
    const form = reasonForm.safeParse(req.body);
    if (ip === null) {
      res.status(400).type('text/plain').send('ip: must be one IPv4 or IPv6 address (no range, no zone id)');
      return;
    }
    const back = `/ui/ips/${encodeURIComponent(ip)}`;
    if (!form.success) {
      req.session.flash = 'Error: give a reason of at least 3 characters.';
      return res.redirect(303, back);
    }
    const actor = `user:${req.session.user!.email}`;
    const removed = await ctx.ds.transaction((em) => removeListing(em, ip, 'manual', `manual: ${form.data.reason}`, actor, new Date()));
    if (removed) await cache.sync(ctx.ds, [ip]);
    req.session.flash = removed ? `Listing of ${ip} removed.` : `Error: ${ip} is not listed.`;
    res.redirect(303, back);
  });
  return router;
}
