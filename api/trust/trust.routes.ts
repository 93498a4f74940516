import { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { trustApiRoutes } from './trust-api.routes.ts';
import { trustPageRoutes } from './trust-pages.routes.ts';

/** Reporter trust (docs/reputation.md, "Reporter trust"): one router for app.ts to mount. */
export function trustRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  router.use(trustApiRoutes(ctx, auth));
  router.use(trustPageRoutes(ctx));
  return router;
}
