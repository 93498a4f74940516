import express, { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { clearTenantFlag } from '../actions/tenant-flag-actions.ts';
import { clearFlagEndpoint, tenantFlagsEndpoint } from './reputation.schemas.ts';

interface FlagRow {
  tenant_id: string;
  flagged_at: Date;
  score: number;
  reasons: string[];
  cleared_at: Date | null;
}

/**
 * Tenants that crossed the listing thresholds (they are never listed: an analyst acts instead).
 * `GET /v1/tenant-flags?open=true|false`, and clearing a flag with a reason once handled.
 */
export function tenantFlagRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  router.get(tenantFlagsEndpoint.path, auth.require('analyst', 'admin'), async (req, res) => {
    const { open } = tenantFlagsEndpoint.parse(req).query;
    const rows: FlagRow[] = await ctx.ds.query(
      `SELECT tenant_id, flagged_at, score, reasons, cleared_at FROM tenant_flags
        WHERE (cleared_at IS NULL) = $1 ORDER BY flagged_at DESC LIMIT 500`,
      [open],
    );
    res.json({
      flags: rows.map((r) => ({ tenant: r.tenant_id, flaggedAt: r.flagged_at, score: Math.round(r.score * 1000) / 1000, reasons: r.reasons, clearedAt: r.cleared_at })),
    });
  });
  router.post(clearFlagEndpoint.path, auth.require('analyst', 'admin'), express.json({ limit: '16kb' }), async (req, res) => {
    const { params, body } = clearFlagEndpoint.parse(req);
    const tenant = params.tenant.trim().toLowerCase();
    await clearTenantFlag(ctx.ds, tenant, body.reason, `analyst:${req.principal!.id}`);
    res.json({ tenant, cleared: true });
  });
  return router;
}
