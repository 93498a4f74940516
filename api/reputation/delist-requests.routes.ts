import express, { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { listRequests } from '../delist/delist-service.ts';
import { decideDelist } from '../actions/delist-actions.ts';
import { delistDecisionEndpoint, delistRequestsEndpoint } from './reputation.schemas.ts';

/** The analyst's side of the delist portal: the queue, and approve/deny with a reason. */
export function delistRequestRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const cache = new IpCache(ctx.redis, ctx.config.REDIS_PREFIX);
  router.get(delistRequestsEndpoint.path, auth.require('analyst', 'admin'), async (req, res) => {
    const { status, limit } = delistRequestsEndpoint.parse(req).query;
    res.json({ requests: await listRequests(ctx.ds, status, limit) });
  });
  router.post(delistDecisionEndpoint.path, auth.require('analyst', 'admin'), express.json({ limit: '16kb' }), async (req, res) => {
    const { params: { id }, body } = delistDecisionEndpoint.parse(req);
    const actor = `analyst:${req.principal!.id}`;
    res.json(await decideDelist(ctx.ds, cache, id, body.decision, body.reason, actor));
  });
  return router;
}
