import { Router } from 'express';
import { AppError } from '../../shared/errors/app-error.ts';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { analystAccess } from './access.ts';
import { countReports, listReports } from './report-query.ts';
import { streamExport } from './report-export.ts';
import { topN, timeseries } from './stats-query.ts';
import { exportReportsEndpoint, listReportsEndpoint, rawReportEndpoint, timeseriesEndpoint, topEndpoint } from './analyst.endpoints.ts';
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

  router.get(listReportsEndpoint.path, analyst, async (req, res) => {
    const { limit, cursor, before, count, ...filters } = listReportsEndpoint.parse(req).query;
    if (cursor && before) throw new AppError('validation_failed', 'give cursor or before, not both', { problems: [{ field: 'before', in: 'query', message: 'excludes cursor' }] });
    const [page, total] = await Promise.all([
      listReports(ctx.ds, filters, limit, cursor, { before }),
      count === 'true' ? countReports(ctx.ds, filters) : undefined,
    ]);
    res.json(total === undefined ? page : { ...page, total });
  });

  router.get(exportReportsEndpoint.path, analyst, async (req, res) => {
    const { format, ...filters } = exportReportsEndpoint.parse(req).query;
    await streamExport(ctx.ds, ctx.log, filters, format, res);
  });

  router.get(rawReportEndpoint.path, analyst, async (req, res) => {
    const { id } = rawReportEndpoint.parse(req).params;
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

  router.get(topEndpoint.path, analyst, async (req, res) => {
    const q = topEndpoint.parse(req).query;
    res.json(await topN(ctx.ds, q.by, q.window, q.limit));
  });

  router.get(timeseriesEndpoint.path, analyst, async (req, res) => {
    const q = timeseriesEndpoint.parse(req).query;
    res.json(await timeseries(ctx.ds, q));
  });

  router.use(subjectRoutes(ctx, analyst));
  return router;
}
