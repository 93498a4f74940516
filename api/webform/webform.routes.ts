import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import cookieParser from 'cookie-parser';
import type { ApiContext } from '../context.ts';
import { isAppError } from '../../shared/errors/app-error.ts';
import { visitorCsrf } from '../web/visitor-csrf.ts';
import { languageMiddleware } from '../web/i18n/choose-language.ts';
import { pageLocale } from './page-locale.ts';
import { reportIntake } from './report-intake.ts';
import { formBodyLimit } from '../middleware/inflight-bytes.ts';
import { reportUpload, uploadedFile } from './upload.ts';
import { reportErrorText, validateReport, type FieldErrors } from './report-input.ts';
import { confirmationPage, errorPage, reportFormPage, reportWords, type FormValues } from './report-form.view.ts';
import { reportStatusRoutes } from './report-status.routes.ts';

/** `GET /report` and `POST /report`: the public web form (HTML, works without JavaScript), in English or Italian. */
export function webformRoutes(ctx: ApiContext): Router {
  const router = Router();
  const maxBytes = ctx.config.MAX_MESSAGE_BYTES;
  const csrf = visitorCsrf(ctx.config, ctx.log, 'report');
  const intake = reportIntake(ctx);

  const renderForm = (req: Request, res: Response, status: number, errors: FieldErrors) => {
    res.status(status).set('Cache-Control', 'no-store').type('html')
      .send(reportFormPage({
        values: keptValues(req.body), errors, csrfToken: csrf.token(req, res), maxBytes,
        retentionDays: ctx.config.RETENTION_DAYS, pseudonymiseDays: ctx.config.PSEUDONYMISE_DAYS, locale: pageLocale(req, res),
      }));
  };

  router.use('/report', languageMiddleware());
  router.get('/report', cookieParser(), (req, res) => renderForm(req, res, 200, {}));

  router.post('/report', intake.inflight.guard(() => formBodyLimit(maxBytes)), intake.perIp, cookieParser(), reportUpload(maxBytes), csrf.protect, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const locale = pageLocale(req, res);
    const t = reportWords(locale);
    if (typeof body.website === 'string' && body.website !== '') {
      // The honeypot field is invisible to people; only form-filling bots fill it.
      ctx.log.info({ clientIp: req.ip }, 'report form honeypot filled; refused');
      res.status(400).type('html').send(errorPage(t('pages.notAcceptedTitle'), t('pages.automated'), locale));
      return;
    }
    const result = validateReport({ ...body, file: uploadedFile(req) }, maxBytes, 'form', locale.lang);
    if (!result.ok) return renderForm(req, res, 400, result.errors);
    const accepted = await intake.store(req, res, result.value, 'webform');
    res.status(200).set('Cache-Control', 'no-store').type('html').send(confirmationPage(accepted.id, accepted.confirmation, locale));
  });

  router.use(reportStatusRoutes(ctx));
  router.use('/report', formErrors(ctx, maxBytes, renderForm));
  return router;
}

/** What the visitor typed, written back into the form (escaped by the view). The file cannot be kept. */
function keptValues(body: unknown): FormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { email: str(b.email), category: str(b.category), description: str(b.description), source: str(b.source) };
}

type RenderForm = (req: Request, res: Response, status: number, errors: FieldErrors) => void;

/**
 * Errors on the form are HTML pages, not problem+json: a person is reading them, in their language.
 * The AppErrors' own messages are the JSON API's (English), so the page words each by its code.
 */
function formErrors(ctx: ApiContext, maxBytes: number, renderForm: RenderForm): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return void req.socket.destroy();
    const locale = pageLocale(req, res);
    const t = reportWords(locale);
    if ((err as { code?: string }).code === 'EBADCSRFTOKEN') {
      res.status(403).type('html').send(errorPage(t('pages.expiredTitle'), t('pages.expired'), locale));
      return;
    }
    if (isAppError(err)) {
      if (err.details.field === 'message') {
        // 415 from the upload filter, 413 from the upload limit or the in-flight bound.
        const code = err.code === 'unsupported_media_type' ? 'wrongFileType' : 'tooLarge';
        return renderForm(req, res, err.status, { message: reportErrorText(code, maxBytes, 'form', locale.lang) });
      }
      if (err.code === 'rate_limited' || err.code === 'overloaded' || err.code === 'store_unavailable') {
        res.set('Retry-After', String(err.details.retryAfter ?? 30));
        const [title, text] = err.code === 'rate_limited' ? ['pages.tooManyTitle', 'pages.tooMany'] : ['pages.laterTitle', 'pages.later'];
        res.status(err.status).type('html').send(errorPage(t(title), t(text), locale));
        return;
      }
      res.status(err.status).type('html').send(errorPage(t('pages.notAcceptedTitle'), t('pages.notAccepted'), locale));
      return;
    }
    ctx.log.error({ err }, 'report form failed');
    res.status(500).type('html').send(errorPage(t('pages.brokenTitle'), t('pages.broken'), locale));
  };
}
