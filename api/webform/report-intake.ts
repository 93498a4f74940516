import type { Request, RequestHandler, Response } from 'express';
import type { ApiContext } from '../context.ts';
import type { Channel } from '../../shared/db/entities/submission.entity.ts';
import type { AcceptedSubmission } from '../../shared/intake/submission-input.ts';
import { backlogGauge } from '../../shared/intake/backpressure.ts';
import { redisRateLimit, runMiddleware } from '../middleware/rate-limit.ts';
import type { ValidReport } from './report-input.ts';
import { InflightBytes, jsonBodyLimit } from '../middleware/inflight-bytes.ts';
import { addressIdentity } from '../../shared/identity/normalize-address.ts';
import { reportConfirmations, type ConfirmationOutcome } from '../trust/report-confirmation.ts';
import { chooseLanguage } from '../web/i18n/choose-language.ts';
import { isLanguage } from '../web/i18n/languages.ts';

export interface ReportIntake {
  /** Bounds the request bytes in flight per client IP and in total (inflight-bytes.ts); first on each route. */
  inflight: InflightBytes;
  /** Counts every POST per client IP (both the form and the JSON API draw on one budget). */
  perIp: RequestHandler;
  /**
   * Checks the reporter's budget and the backlog, then commits (anonymous: nobody proved the
   * address yet), then mails the confirmation link; resolves after the commit and the mail.
   */
  store(req: Request, res: Response, report: ValidReport, channel: Channel): Promise<AcceptedSubmission & { confirmation: ConfirmationOutcome }>;
}

const kits = new WeakMap<ApiContext, ReportIntake>();

/** The shared back half of the web form and POST /v1/reports. One per app, so limits are shared. */
export function reportIntake(ctx: ApiContext): ReportIntake {
  const existing = kits.get(ctx);
  if (existing) return existing;
  const { config, redis, log } = ctx;
  const perIp = redisRateLimit({ redis, log, prefix: config.REDIS_PREFIX, name: 'report-ip', windowMs: 10 * 60_000, limit: config.WEBFORM_LIMIT_PER_IP });
  const perReporter = redisRateLimit({
    redis, log, prefix: config.REDIS_PREFIX, name: 'report-reporter', windowMs: 60 * 60_000, limit: config.WEBFORM_LIMIT_PER_REPORTER,
    key: (_req, res) => res.locals.reporter as string | undefined,
  });
  const backlog = backlogGauge(ctx.queue, config.INTAKE_HIGH_WATER);
  const largest = jsonBodyLimit(config.MAX_MESSAGE_BYTES);
  const inflight = new InflightBytes({ perIp: config.PUBLIC_INFLIGHT_BYTES_PER_IP ?? largest, total: config.PUBLIC_INFLIGHT_BYTES ?? 4 * largest });
  const confirmations = reportConfirmations(ctx);
  const kit: ReportIntake = {
    inflight,
    perIp,
    async store(req, res, report, channel) {
      // Normalised (lower case, +tag removed): `jo+1@x` and `jo+2@x` share one budget.
      res.locals.reporter = addressIdentity(report.reporter) ?? report.reporter;
      await runMiddleware(perReporter, req, res);
      await backlog.check();
      const accepted = await ctx.writer.accept({
        channel,
        raw: report.raw,
        reporter: report.reporter,
        category: report.category,
        description: report.description,
        clientIp: req.ip ?? null,
      });
      // The confirmation mail speaks the language of the request that sent the report (form or API).
      const lang = isLanguage(res.locals.lang) ? res.locals.lang : chooseLanguage(req);
      return { ...accepted, confirmation: await confirmations.request(accepted.id, report.reporter, req.ip ?? null, lang) };
    },
  };
  kits.set(ctx, kit);
  return kit;
}
