import express, { Router, type RequestHandler } from 'express';
import cookieParser from 'cookie-parser';
import type { ApiContext } from '../context.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { reportIntake } from './report-intake.ts';
import { reportUpload, uploadedFile } from './upload.ts';
import { validateReport } from './report-input.ts';
import { visitorCsrf } from '../web/visitor-csrf.ts';
import { formBodyLimit, jsonBodyLimit } from '../middleware/inflight-bytes.ts';

/**
 * `POST /v1/reports`: the form's equivalent for integrations (a "Report junk" button, a support
 * tool). JSON `{email, category, description?, message | messageBase64}`, or multipart/form-data with
 * the same fields, the .eml as file `message` and the report form's CSRF token `_csrf` (with its
 * cookie). Public like the form — no API key — and drawing on the same per-IP and per-reporter
 * limits. Why the token: another site's page can make its visitors' browsers post a form
 * (multipart, urlencoded, text/plain) here without asking, but not JSON (that needs a CORS
 * preflight we never grant). Errors are application/problem+json.
 */
export function reportsApiRoutes(ctx: ApiContext): Router {
  const router = Router();
  const maxBytes = ctx.config.MAX_MESSAGE_BYTES;
  const intake = reportIntake(ctx);
  // What the JSON form can carry: the message as (unwrapped) base64, plus the other fields.
  const jsonLimit = jsonBodyLimit(maxBytes);
  const formLimit = formBodyLimit(maxBytes);
  const json = express.json({ limit: jsonLimit, type: 'application/json' });
  const multipart = reportUpload(maxBytes);
  const csrf = visitorCsrf(ctx.config, ctx.log, 'report');
  const cookies = cookieParser();
  const crossSite = () => new AppError('forbidden', 'a multipart report needs the report form\'s CSRF token (_csrf) and cookie; integrations send application/json');
  // Before the body is read: a cross-site post carries no form cookie (SameSite=Strict).
  const formCookie: RequestHandler = (req, res, next) => {
    if (csrf.hasCookie(req)) return next();
    res.set('Connection', 'close');
    next(crossSite());
  };
  const formToken: RequestHandler = (req, res, next) => csrf.protect(req, res, (err?: unknown) => next(err ? crossSite() : undefined));
  const multipartForm = Router().use(cookies, formCookie, multipart, formToken);

  router.post(
    '/v1/reports',
    intake.inflight.guard((req) => (req.is('application/json') ? jsonLimit : formLimit)),
    intake.perIp,
    (req, res, next) => {
      if (req.is('application/json')) return json(req, res, next);
      if (req.is('multipart/form-data')) return multipartForm(req, res, next);
      res.set('Connection', 'close');
      next(new AppError('unsupported_media_type', 'send application/json or multipart/form-data', { received: req.get('content-type') ?? null }));
    },
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (typeof body !== 'object' || Array.isArray(body)) throw new AppError('validation_failed', 'the body must be a JSON object');
      let file = uploadedFile(req);
      if (body.messageBase64 !== undefined) {
        if (typeof body.messageBase64 !== 'string' || !/^[A-Za-z0-9+/=\s]*$/.test(body.messageBase64)) {
          throw new AppError('validation_failed', 'the report is invalid', { fields: { message: 'messageBase64 must be base64 text' } });
        }
        file = Buffer.from(body.messageBase64, 'base64');
      }
      const result = validateReport(
        { email: body.email, category: body.category, description: body.description, source: body.message ?? body.source, file },
        maxBytes,
      );
      if (!result.ok) {
        const problems = Object.entries(result.errors).map(([field, message]) => ({ field, in: 'body', message }));
        throw new AppError('validation_failed', `invalid ${problems.map((p) => `field ${p.field}: ${p.message}`).join('; ')}`, { fields: result.errors, problems });
      }
      const accepted = await intake.store(req, res, result.value, 'api');
      // `confirmation`: the report counts once the reporter uses the mailed link (docs/reputation.md).
      const { mailed, to, expiresAt, reason } = accepted.confirmation;
      res.status(202).json({ id: accepted.id, status: accepted.status, reporterTrust: 'anonymous', confirmation: { mailed, to, expiresAt, reason } });
    },
  );
  return router;
}

