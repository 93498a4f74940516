import { Router, urlencoded } from 'express';
import { z } from 'zod';
import { isAppError } from '../../shared/errors/app-error.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { decideRequest } from '../delist/delist-service.ts';
import type { ApiContext } from '../context.ts';
import type { CsrfKit } from './csrf.ts';
import { requireUser, withSession } from './ui-auth.ts';
import { bodyText } from '../edge/params.ts';

const decisionForm = z.object({ decision: z.enum(['approve', 'deny']), reason: bodyText(1000, 3) });

/**
 * `POST /ui/delist/:id/decision`: the queue page's form. Calls the same `decideRequest` as
 * `POST /v1/delist-requests/:id/decision`, with the signed-in user as the actor; answers with a
 * redirect back to the queue and a one-time notice (post/redirect/get).
 */
export function delistDecisionRoutes(ctx: ApiContext, csrf: CsrfKit): Router {
  const router = Router();
  const cache = new IpCache(ctx.redis, ctx.config.REDIS_PREFIX);
  router.post(
    '/ui/delist/:id/decision',
    withSession(ctx),
    requireUser('analyst', 'admin'),
    urlencoded({ extended: false, limit: '8kb' }),
    csrf.protect,
    async (req, res) => {
      const id = String(req.params.id);
      const form = decisionForm.safeParse(req.body);
      if (!z.uuid().safeParse(id).success || !form.success) {
        req.session.flash = 'Error: choose approve or deny and give a reason of at least 3 characters.';
        return res.redirect(303, '/ui/delist');
      }
      try {
        const done = await decideRequest(ctx.ds, cache, id, form.data.decision, form.data.reason, `user:${req.session.user!.email}`, new Date());
        req.session.flash = `${done.status === 'approved' ? 'Approved' : 'Denied'}: ${done.ip}.`;
      } catch (err) {
        if (!isAppError(err)) throw err;
        req.session.flash = `Error: ${err.message}`;
      }
      res.redirect(303, '/ui/delist');
    },
  );
  return router;
}
