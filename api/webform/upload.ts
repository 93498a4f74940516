import multer from 'multer';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../../shared/errors/app-error.ts';
import { reportErrorText } from './report-input.ts';

/** Upload types we take: a message, or text (pasted-then-saved headers). Browsers without a
 * MIME mapping for `.eml` send application/octet-stream, so that is allowed for `.eml` names only. */
export function isAcceptedUpload(mimetype: string, filename: string): boolean {
  const type = mimetype.toLowerCase();
  if (type === 'message/rfc822' || type.startsWith('text/')) return true;
  return type === 'application/octet-stream' && /\.eml$/i.test(filename);
}

/**
 * Multipart parsing held to MAX_MESSAGE_BYTES: one file (`message`), a few small fields, and the
 * pasted source as a field of at most `maxBytes`. Multer stops reading as soon as a limit is
 * passed. Errors become AppErrors (413 / 415 / 400) carrying `field: 'message'`, worded for the JSON API
 * (English); the form words them again in the visitor's language by their code.
 */
export function reportUpload(maxBytes: number): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 12, fieldSize: maxBytes, parts: 14, headerPairs: 50 },
    fileFilter: (_req, file, cb) => {
      if (isAcceptedUpload(file.mimetype, file.originalname)) return cb(null, true);
      cb(new AppError('unsupported_media_type', reportErrorText('wrongFileType', maxBytes, 'api', 'en'), { field: 'message', received: file.mimetype }));
    },
  }).single('message');
  return (req, res, next) => {
    upload(req, res, (err?: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        const tooLarge = err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE';
        res.set('Connection', 'close');
        return next(
          tooLarge
            ? new AppError('payload_too_large', reportErrorText('tooLarge', maxBytes, 'api', 'en'), { field: 'message', limit: maxBytes })
            : new AppError('bad_request', `the form is malformed: ${err.message}`, { field: err.field ?? null }),
        );
      }
      if (err instanceof AppError) res.set('Connection', 'close');
      next(err);
    });
  };
}

/** The uploaded file's bytes, if any. */
export function uploadedFile(req: Request): Buffer | null {
  return req.file?.buffer ?? null;
}
