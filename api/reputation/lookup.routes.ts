import { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { parseIp } from './ip-param.ts';
import { lookupView } from './lookup-view.ts';
import { lookupEndpoint } from './reputation.schemas.ts';

/**
 * `GET /v1/lookup/:ip` for MTAs: one HGET on the Redis copy of the listings, never Postgres
 * (the key check is cached by ApiKeyAuthenticator), so it keeps up with an MTA's connection rate.
 */
export function lookupRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  // Its own connection with auto-pipelining: concurrent lookups share one write and one read
  // per event-loop tick instead of a round trip each. It closes when the shared one does.
  const redis = ctx.redis.duplicate({ enableAutoPipelining: true, connectionName: 'abuse-intake-lookup' });
  ctx.redis.once('end', () => redis.disconnect());
  const cache = new IpCache(redis, ctx.config.REDIS_PREFIX);
  // The hot path: parseIp is the lookupEndpoint's ipAddress check without building a zod object.
  router.get(lookupEndpoint.path, auth.require('platform', 'analyst', 'admin'), async (req, res) => {
    const ip = parseIp(req.params.ip);
    let entry;
    try {
      entry = await cache.get(ip);
    } catch (err) {
      // An MTA gets a fast 503 and falls back to its own policy; it must not hang on us.
      throw new AppError('store_unavailable', 'the listings store does not answer; retry later', { retryAfter: 5 }, { cause: err });
    }
    const view = lookupView(ctx.config, ip, entry, Date.now());
    res.set('Cache-Control', 'no-store').json(view);
  });
  return router;
}
