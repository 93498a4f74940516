import { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { parseIp } from './ip-param.ts';
import { lookupView } from './lookup-view.ts';

/**
 * `GET /v1/lookup/:ip` for MTAs: one HGET on the Redis copy of the listings, never Postgres
 * (the key check is cached by ApiKeyAuthenticator), so it keeps up with an MTA's connection rate.
 */
export function lookupRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const cache = new IpCache(ctx.redis, ctx.config.REDIS_PREFIX);
  router.get('/v1/lookup/:ip', auth.require('platform', 'analyst', 'admin'), async (req, res) => {
    const ip = parseIp(req.params.ip);
    const view = lookupView(ctx.config, ip, await cache.get(ip), Date.now());
    res.set('Cache-Control', 'no-store').json(view);
  });
  return router;
}
