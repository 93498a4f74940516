import { Router } from 'express';
import { AppError } from '../../shared/errors/app-error.ts';
import { Report } from '../../shared/db/entities/index.ts';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { getReportEndpoint } from '../submissions/submissions.schemas.ts';
import { reportView } from '../submissions/views.ts';

/** `GET /v1/reports/:id`: one report with its evidence trail. */
export function reportRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  router.get(getReportEndpoint.path, auth.require('analyst', 'admin'), async (req, res) => {
    const { id } = getReportEndpoint.parse(req).params;
    const report = await ctx.ds.getRepository(Report).findOneBy({ id });
    if (!report) throw new AppError('not_found', `no report ${id}`);
    res.json(reportView(report));
  });
  return router;
}
