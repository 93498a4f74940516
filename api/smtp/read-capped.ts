import type { Readable } from 'node:stream';

export interface CappedRead {
  /** The bytes kept; empty once `exceeded`. */
  data: Buffer;
  /** Bytes the client sent, including those we did not keep. */
  size: number;
  exceeded: boolean;
}

/**
 * Reads a DATA stream to its end, keeping at most `limit` bytes. Past the limit the chunks are
 * counted and dropped, so an oversize message costs no memory; the stream is still drained
 * because the client only hears our 552 after its final `.`.
 */
export function readCapped(stream: Readable, limit: number): Promise<CappedRead> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let exceeded = false;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (exceeded) return;
      if (size > limit) {
        exceeded = true;
        chunks = [];
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    stream.once('end', () => {
      ended = true;
      resolve({ data: exceeded ? Buffer.alloc(0) : Buffer.concat(chunks, size), size, exceeded });
    });
    stream.once('error', reject);
    // A client that vanishes mid-DATA may leave a destroyed stream that never ends: settle anyway.
    stream.once('close', () => {
      if (!ended) reject(Object.assign(new Error('connection closed before the message was received in full'), { code: 'ECONNECTION' }));
    });
  });
}
