import { Router } from 'express';
import { AppError } from '../../shared/errors/app-error.ts';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { analystAccess } from './access.ts';
import { listReports } from './report-query.ts';
import { streamExport } from './report-export.ts';
import { topN, timeseries } from './stats-query.ts';
import { validate } from './validate.ts';
import { exportQuery, reportIdParam, reportListQuery, timeseriesQuery, topQuery } from './schemas.ts';
import { subjectRoutes } from './subject.routes.ts';
import { servedMessages } from '../privacy/served-message.ts';

/**
 * The analyst query API: report list and export, raw download, stats, IP and tenant pages.
 * Mounted before api/reports so that /v1/reports/export is not read as a report id.
 */
export function analystRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const analyst = analystAccess(ctx, auth, 'analyst', 'admin');
  const messages = servedMessages(ctx);

  router.get('/v1/reports', analyst, async (req, res) => {
    const { limit, cursor, ...filters } = validate(reportListQuery, req.query);
    res.json(await listReports(ctx.ds, filters, limit, cursor));
  });

  router.get('/v1/reports/export', analyst, async (req, res) => {
    const { format, ...filters } = validate(exportQuery, req.query);
    await streamExport(ctx.ds, ctx.log, filters, format, res);
  });

  router.get('/v1/reports/:id/raw', analyst, async (req, res) => {
    const { id } = validate(reportIdParam, req.params, 'path');
    // Past PSEUDONYMISE_DAYS the reporter's address is replaced in the wrapper (api/privacy).
    const served = await messages.forReport(id);
    if (!served) throw new AppError('not_found', `no report ${id}`);
    if (!served.content) throw new AppError('not_found', `the raw message of report ${id} was removed by retention`);
    // A download, never a page: attachment, no sniffing, and a sandbox in case a browser renders it anyway.
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Content-Security-Policy', "sandbox; default-src 'none'");
    res.attachment(`report-${id}.eml`);
    res.type('message/rfc822').send(served.content);
  });

  router.get('/v1/stats/top', analyst, async (req, res) => {
    const q = validate(topQuery, req.query);
    res.json(await topN(ctx.ds, q.by, q.window, q.limit));
  });

  router.get('/v1/stats/timeseries', analyst, async (req, res) => {
    const q = validate(timeseriesQuery, req.query);
    if (q.key && !q.by) throw new AppError('validation_failed', 'key needs by', { problems: [{ field: 'key', message: 'needs by' }] });
    if (q.ip && q.by) throw new AppError('validation_failed', 'ip excludes by', { problems: [{ field: 'ip', message: 'use ip or by, not both' }] });
    res.json(await timeseries(ctx.ds, q));
  });

  router.use(subjectRoutes(ctx, analyst));
  return router;
}
