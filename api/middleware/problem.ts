import type { ErrorRequestHandler, Response } from 'express';
import { AppError, isAppError } from '../../shared/errors/app-error.ts';
import type { Logger } from '../../shared/logger.ts';

/** Writes an RFC 9457 `application/problem+json` answer. */
export function sendProblem(res: Response, err: AppError): void {
  if (err.code === 'store_unavailable' || err.code === 'overloaded' || err.code === 'rate_limited') {
    res.set('Retry-After', String(err.details.retryAfter ?? 5));
  }
  res
    .status(err.status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: `about:blank#${err.code}`, title: err.code, status: err.status, detail: err.message, ...publicDetails(err) }));
}

function publicDetails(err: AppError): Record<string, unknown> {
  const { retryAfter: _r, ...rest } = err.details;
  return Object.keys(rest).length ? { details: rest } : {};
}

/** The one error middleware: AppErrors map to their status; anything else is a logged 500. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    if (isAppError(err)) return sendProblem(res, err);
    // The router could not percent-decode a path parameter (`/v1/reports/%E0%A4%A`): the URL is bad, not us.
    if (err instanceof URIError) return sendProblem(res, new AppError('bad_request', 'a path parameter is not valid percent-encoding'));
    // body-parser style errors carry a status and `expose`.
    const e = err as { status?: number; type?: string; message?: string; expose?: boolean };
    if (e.status === 413) return sendProblem(res, new AppError('payload_too_large', 'the request body is too large'));
    if (e.status && e.status >= 400 && e.status < 500 && e.expose) {
      return sendProblem(res, new AppError('bad_request', e.message ?? 'bad request'));
    }
    log.error({ err, url: req.originalUrl }, 'unhandled error');
    sendProblem(res, new AppError('internal', 'internal error; it has been logged'));
  };
}
