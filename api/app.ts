import express, { type Express } from 'express';
import { fileURLToPath } from 'node:url';
import helmet from 'helmet';
import type { ApiContext } from './context.ts';
import { errorHandler, sendProblem } from './middleware/problem.ts';
import { ApiKeyAuthenticator } from './middleware/require-role.ts';
import { healthRoutes } from './health/health.routes.ts';
import { intakeRoutes } from './intake/intake.routes.ts';
import { submissionRoutes } from './submissions/submissions.routes.ts';
import { reportRoutes } from './reports/reports.routes.ts';
import { reputationRoutes } from './reputation/reputation.routes.ts';
import { senderRoutes } from './sender/sender.routes.ts';
import { analystRoutes } from './analyst/analyst.routes.ts';
import { openApiRoutes } from './openapi/openapi.routes.ts';
import { opsRoutes } from './ops/ops.routes.ts';
import { uiRoutes } from './ui/ui.routes.ts';
import { adminFailedRoutes } from './admin/failed.routes.ts';
import { AppError } from '../shared/errors/app-error.ts';
import { webformRoutes } from './webform/webform.routes.ts';
import { reportsApiRoutes } from './webform/reports-api.routes.ts';
import { campaignRoutes } from './campaigns/campaigns.routes.ts';
import { triageRoutes } from './triage/triage.routes.ts';
import { trustRoutes } from './trust/trust.routes.ts';
import { devOutboxRoutes } from './dev-outbox/dev-outbox.routes.ts';
import { notificationRoutes } from './notifications/notifications.routes.ts';
import { webhookRoutes } from './webhooks/webhooks.routes.ts';
import { tenantResponseRoutes } from './tenant-response/response.routes.ts';
import { languageSwitchRoutes } from './web/i18n/language-switch.ts';
import { senderDataRoutes } from './sender-data/sender-data.routes.ts';

/** The one place that mounts every feature's routes. */
export function createApp(ctx: ApiContext): Express {
  const app = express();
  app.disable('x-powered-by');
  // Only the proxies named in TRUST_PROXY may set the client IP (default none): per-IP limits key on it.
  app.set('trust proxy', ctx.config.TRUST_PROXY);
  const auth = new ApiKeyAuthenticator(ctx.ds, ctx.keyChanges);
  // First: the raw intake, the hottest path, walks no other router and sets its own headers (a
  // JSON answer to an MTA pipe needs no browser policy headers; see intake.routes.ts).
  intakeRoutes(ctx, auth, app);
  app.use(helmet());
  app.use(reputationRoutes(ctx, auth)); // the MTA lookup: before the analyst routes

  app.use(healthRoutes(ctx));
  app.use(submissionRoutes(ctx, auth));
  app.use(analystRoutes(ctx, auth)); // before reportRoutes: /v1/reports/export is not an id
  app.use(reportRoutes(ctx, auth));
  app.use(campaignRoutes(ctx, auth));
  app.use(triageRoutes(ctx, auth));
  app.use(senderRoutes(ctx)); // the sender portal (/sender…, the delist portal under it, redirects from /delist…)
  app.use(adminFailedRoutes(ctx, auth));
  app.use(notificationRoutes(ctx, auth));
  app.use(webhookRoutes(ctx, auth));
  app.use(tenantResponseRoutes(ctx));
  app.use(openApiRoutes(ctx));
  app.use(opsRoutes(ctx, auth));
  app.use(uiRoutes(ctx));
  if (ctx.mailer.kind === 'outbox') app.use(devOutboxRoutes(ctx)); // start --demo without a relay only

  app.use('/static', express.static(fileURLToPath(new URL('./web/static/', import.meta.url)), { maxAge: '1h', index: false }));
  app.use(languageSwitchRoutes()); // GET /language: the public pages' language switch
  app.use(senderDataRoutes(ctx, auth)); // /sender/data: data and feedback loop for IP owners
  app.use(trustRoutes(ctx, auth)); // report confirmation, /reporters, report trust (analysts)
  app.use(webformRoutes(ctx));
  app.use(reportsApiRoutes(ctx));

  app.use((req, res) => sendProblem(res, new AppError('not_found', `no route ${req.method} ${req.path}`)));
  app.use(errorHandler(ctx.log));
  return app;
}
