import type { Request } from 'express';
import { AppError } from '../../shared/errors/app-error.ts';

/**
 * Reads a request body into one Buffer, refusing (413) as soon as it passes `limit` bytes —
 * from Content-Length before reading anything, or while streaming — so an oversize upload is
 * never held in memory. Plain stream events rather than `for await`: on the intake's hot path the
 * async iterator's promise per chunk was measurable (bench:intake).
 */
export function readLimitedBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    // The client went away before the end: nothing will come, and nothing must be stored.
    const onClose = () => {
      cleanup();
      reject(new AppError('bad_request', 'the request body was cut off before its end'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `the message is larger than MAX_MESSAGE_BYTES (${limit} bytes)`, { limit });
}
