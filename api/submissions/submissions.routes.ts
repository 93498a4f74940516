import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../shared/errors/app-error.ts';
import { Report, Submission } from '../../shared/db/entities/index.ts';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { reportView, submissionView } from './views.ts';

export const uuidParam = z.string().uuid();

export function parseId(value: unknown, what: string): string {
  const parsed = uuidParam.safeParse(value);
  if (!parsed.success) throw new AppError('validation_failed', `${what} id must be a UUID`, { id: String(value) });
  return parsed.data;
}

/** `GET /v1/submissions/:id`: status and the reports found in it. */
export function submissionRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  router.get('/v1/submissions/:id', auth.require('analyst', 'admin'), async (req, res) => {
    const id = parseId(req.params.id, 'submission');
    const submission = await ctx.ds.getRepository(Submission).findOneBy({ id });
    if (!submission) throw new AppError('not_found', `no submission ${id}`);
    const reports = await ctx.ds.getRepository(Report).find({ where: { submissionId: id }, order: { idx: 'ASC' } });
    res.json({ ...submissionView(submission), reports: reports.map(reportView) });
  });
  return router;
}
