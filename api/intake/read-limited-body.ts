import type { Request } from 'express';
import { AppError } from '../../shared/errors/app-error.ts';

/**
 * Reads a request body into one Buffer, refusing (413) as soon as it passes `limit` bytes —
 * from Content-Length before reading anything, or while streaming — so an oversize upload is
 * never held in memory.
 */
export async function readLimitedBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.pause();
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `the message is larger than MAX_MESSAGE_BYTES (${limit} bytes)`, { limit });
}
