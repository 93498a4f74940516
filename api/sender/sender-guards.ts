import type { RequestHandler } from 'express';
import multer from 'multer';
import { redisRateLimit } from '../middleware/rate-limit.ts';
import type { ApiContext } from '../context.ts';
import { html } from '../web/html.ts';
import { senderLang, senderPage, sendPage } from './sender-page.ts';

const WINDOW_MS = 10 * 60_000;

/** Bytes of a bounce the explainer reads, pasted or uploaded: a bounce's reply sits at its top. */
export const BOUNCE_MAX_BYTES = 2 * 1024 * 1024;

/**
 * SENDER_RATE_PER_IP explanations and look-ups per client IP per 10 minutes, counted in Redis so
 * every api process shares them: the portal is public and each answer parses a message or reads the
 * listings. A refusal is a page in the visitor's language (429, Retry-After).
 */
export function senderRateLimit(ctx: ApiContext): RequestHandler {
  return redisRateLimit({
    redis: ctx.redis,
    prefix: ctx.config.REDIS_PREFIX,
    name: 'sender',
    windowMs: WINDOW_MS,
    limit: ctx.config.SENDER_RATE_PER_IP,
    log: ctx.log,
    onLimit: (_req, res) => {
      const { lang, t } = senderLang(res);
      res.set('Retry-After', String(WINDOW_MS / 1000));
      sendPage(res, 429, senderPage(lang, '/sender', t('limit.title'), html`<h1>${t('limit.title')}</h1><p class="errors" role="alert" id="limit">${t('limit.text', { minutes: WINDOW_MS / 60_000 })}</p>`));
    },
  });
}

export type UploadProblem = 'tooLarge' | 'wrongType' | 'malformed';

/**
 * The why-form's multipart body: the pasted text (`text`) and at most one file (`bounce`), each held
 * to BOUNCE_MAX_BYTES; multer stops reading past a limit. Problems are left in `res.locals.upload`
 * for the route to answer with the form in the visitor's language.
 */
export function bounceUpload(): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: BOUNCE_MAX_BYTES, fieldSize: BOUNCE_MAX_BYTES, files: 1, fields: 4, parts: 6, headerPairs: 30 },
    fileFilter: (_req, file, cb) => {
      const type = file.mimetype.toLowerCase();
      const ok = type === 'message/rfc822' || type.startsWith('text/') || (type === 'application/octet-stream' && /\.(eml|txt|msg)$/i.test(file.originalname));
      if (ok) cb(null, true);
      else cb(new Error('wrongType'));
    },
  }).single('bounce');
  return (req, res, next) => {
    upload(req, res, (err?: unknown) => {
      if (!err) return next();
      res.set('Connection', 'close');
      const problem: UploadProblem =
        err instanceof multer.MulterError
          ? err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE' ? 'tooLarge' : 'malformed'
          : (err as Error).message === 'wrongType' ? 'wrongType' : 'malformed';
      res.locals.upload = problem;
      req.body ??= {};
      next();
    });
  };
}
