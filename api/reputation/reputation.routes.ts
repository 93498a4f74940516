import { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { lookupRoutes } from './lookup.routes.ts';
import { blocklistRoutes } from './blocklist.routes.ts';
import { volumeRoutes } from './volume.routes.ts';
import { delistRequestRoutes } from './delist-requests.routes.ts';
import { listingRoutes } from './listings.routes.ts';
import { tenantFlagRoutes } from './tenant-flags.routes.ts';

/** Sender reputation's API (docs/reputation.md): one router for app.ts to mount. */
export function reputationRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  router.use(lookupRoutes(ctx, auth));
  router.use(blocklistRoutes(ctx, auth));
  router.use(volumeRoutes(ctx, auth));
  router.use(delistRequestRoutes(ctx, auth));
  router.use(listingRoutes(ctx, auth));
  router.use(tenantFlagRoutes(ctx, auth));
  return router;
}
