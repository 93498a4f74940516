import cookieParser from 'cookie-parser';
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiContext } from '../context.ts';
import { csrfKit, type CsrfKit } from './csrf.ts';
import { loginRoutes } from './login.routes.ts';
import { requireUser, withSession } from './ui-auth.ts';
import { dashboardPage } from './pages/dashboard.ts';
import { searchPage } from './pages/search.ts';
import { reportDetailPage } from './pages/report-detail.ts';
import { ipPage, tenantPage } from './pages/subject-pages.ts';
import { delistPage } from './pages/delist-page.ts';
import { listingsPage } from './pages/listings-page.ts';
import { tenantFlagsPage } from './pages/tenant-flags-page.ts';
import { notificationsPage } from './pages/notifications-page.ts';
import { failedPage } from './pages/failed-page.ts';
import { auditPage } from './pages/audit-page.ts';
import { actionRoutes } from './actions/confirm-action.ts';
import { ANALYST_ACTIONS } from './actions/analyst-actions.ts';
import { campaignUiRoutes } from '../campaigns/campaign-ui.routes.ts';
import { triageUiRoutes } from '../triage/triage-ui.routes.ts';

const here = dirname(fileURLToPath(import.meta.url));
const uplotDist = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));

type Page = (ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response) => Promise<void>;

/**
 * The analyst web UI (server-rendered, escaped by default; JS only from /static files so the
 * CSP can forbid inline script). Static assets are public; every page needs a signed-in user.
 */
export function uiRoutes(ctx: ApiContext): Router {
  const router = Router();
  const csrf = csrfKit(ctx);
  const statics = { index: false, fallthrough: false, maxAge: '1h' } as const;
  router.use('/static/ui', express.static(join(here, 'static'), statics));
  router.use('/static/vendor/uplot', express.static(uplotDist, statics));
  router.use('/static', express.static(join(here, '../web/static'), { index: false, maxAge: '1h' }));

  router.use(cookieParser()); // csrf-csrf reads its cookie from req.cookies
  router.use(loginRoutes(ctx));
  const page = (fn: Page) => [withSession(ctx), requireUser('analyst', 'admin'), (req: Request, res: Response) => fn(ctx, csrf, req, res)];
  const adminPage = (fn: Page) => [withSession(ctx), requireUser('admin'), (req: Request, res: Response) => fn(ctx, csrf, req, res)];
  router.get('/', ...page(dashboardPage));
  router.get('/ui/reports', ...page(searchPage));
  router.get('/ui/reports/:id', ...page(reportDetailPage));
  router.get('/ui/ips/:ip', ...page(ipPage));
  router.get('/ui/tenants/:id', ...page(tenantPage));
  router.get('/ui/delist', ...page(delistPage));
  router.get('/ui/listings', ...page(listingsPage));
  router.get('/ui/tenant-flags', ...page(tenantFlagsPage));
  router.get('/ui/notifications', ...page(notificationsPage));
  router.get('/ui/audit', ...page(auditPage));
  router.get('/ui/admin/failed', ...adminPage(failedPage));
  router.use(actionRoutes(ctx, csrf, ANALYST_ACTIONS));
  router.use(campaignUiRoutes(ctx, csrf));
  router.use(triageUiRoutes(ctx, csrf));

  const csrfError: ErrorRequestHandler = (err, _req, res, next) => {
    if ((err as { code?: string }).code !== 'EBADCSRFTOKEN') return next(err);
    res.status(403).type('text/plain').send('The form expired or did not come from this site. Go back, reload and try again.');
  };
  router.use(csrfError);
  return router;
}
