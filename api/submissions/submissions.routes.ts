import { Router } from 'express';
import { AppError } from '../../shared/errors/app-error.ts';
import { Report, Submission } from '../../shared/db/entities/index.ts';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { reportView, submissionView } from './views.ts';
import { getSubmissionEndpoint } from './submissions.schemas.ts';

/** `GET /v1/submissions/:id`: status and the reports found in it. */
export function submissionRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  router.get(getSubmissionEndpoint.path, auth.require('analyst', 'admin'), async (req, res) => {
    const { id } = getSubmissionEndpoint.parse(req).params;
    const submission = await ctx.ds.getRepository(Submission).findOneBy({ id });
    if (!submission) throw new AppError('not_found', `no submission ${id}`);
    const reports = await ctx.ds.getRepository(Report).find({ where: { submissionId: id }, order: { idx: 'ASC' } });
    res.json({ ...submissionView(submission), reports: reports.map(reportView) });
  });
  return router;
}
