import express, { Router } from 'express';
import type { ApiContext } from '../context.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { reportIntake } from './report-intake.ts';
import { reportUpload, uploadedFile } from './upload.ts';
import { validateReport } from './report-input.ts';

/**
 * `POST /v1/reports`: the form's equivalent for integrations (a "Report junk" button, a support
 * tool). JSON `{email, category, description?, message | messageBase64}` or multipart/form-data with
 * the same fields and the .eml as file `message`. Public like the form — no API key, no CSRF
 * (no cookies are read, so a browser cannot be tricked into it on someone's behalf) — and drawing
 * on the same per-IP and per-reporter limits. Errors are application/problem+json.
 */
export function reportsApiRoutes(ctx: ApiContext): Router {
  const router = Router();
  const maxBytes = ctx.config.MAX_MESSAGE_BYTES;
  const intake = reportIntake(ctx);
  // Base64 grows the message by 4/3; leave room for the other fields.
  const json = express.json({ limit: Math.ceil(maxBytes * 1.37) + 64 * 1024, type: 'application/json' });
  const multipart = reportUpload(maxBytes);

  router.post(
    '/v1/reports',
    intake.perIp,
    (req, res, next) => {
      if (req.is('application/json')) return json(req, res, next);
      if (req.is('multipart/form-data')) return multipart(req, res, next);
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
      res.status(202).json({ id: accepted.id, status: accepted.status, reporterTrust: 'anonymous', confirmation: accepted.confirmation });
    },
  );
  return router;
}
