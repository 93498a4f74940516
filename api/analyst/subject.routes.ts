import { Router, type RequestHandler } from 'express';
import { AppError } from '../../shared/errors/app-error.ts';
import type { ApiContext } from '../context.ts';
import { ipProfileEndpoint, tenantProfileEndpoint } from './analyst.endpoints.ts';
import { ipProfile, tenantProfile } from './subject-query.ts';

const DAY_MS = 24 * 3600_000;

/** The score half-life the reputation engine uses (its config key), defaulting to its default of 24 h. */
export function halfLifeMs(ctx: ApiContext): number {
  const v = (ctx.config as { REPUTATION_HALF_LIFE?: unknown }).REPUTATION_HALF_LIFE;
  return typeof v === 'number' && v > 0 ? v : DAY_MS;
}

/** `GET /v1/ips/:ip` and `GET /v1/tenants/:id`. */
export function subjectRoutes(ctx: ApiContext, analyst: RequestHandler): Router {
  const router = Router();
  router.get(ipProfileEndpoint.path, analyst, async (req, res) => {
    const { ip } = ipProfileEndpoint.parse(req).params;
    res.json(await ipProfile(ctx.ds, ip, halfLifeMs(ctx)));
  });
  router.get(tenantProfileEndpoint.path, analyst, async (req, res) => {
    const { id } = tenantProfileEndpoint.parse(req).params;
    const profile = await tenantProfile(ctx.ds, id, halfLifeMs(ctx));
    if (profile.reports.total30d === 0 && !profile.reputation && !profile.flag && !(await knownTenant(ctx, id))) {
      throw new AppError('not_found', `no tenant ${id} and no reports for it in 30 days`);
    }
    res.json(profile);
  });
  return router;
}

async function knownTenant(ctx: ApiContext, id: string): Promise<boolean> {
  const [row]: { t: string | null }[] = await ctx.ds.query(`SELECT to_regclass('tenants')::text AS t`);
  if (!row?.t) return false;
  const found = await ctx.ds.query(`SELECT 1 FROM tenants WHERE id = $1`, [id]);
  return found.length > 0;
}
