import type { DataSource } from 'typeorm';
import { pgPool, withThrowawayClient } from '../../shared/db/pg-pool.ts';
import type { SubmissionRow } from './store-reports.ts';

/** Raw messages up to this size come with the submission row; larger ones are read in pieces. */
export const INLINE_RAW_BYTES = 1024 * 1024;
/** Most inline raw bytes one `loadSubmissions` call brings (the rest are read one by one). */
export const INLINE_BUDGET_BYTES = 8 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

/** A submission as the worker needs it; `content` is null when it must be read on its own. */
export interface LoadedSubmission extends SubmissionRow {
  status: string;
  /** The feedback loop the intake channel was bound to: analysis may anchor on its ARF Source-IP. */
  feedback_loop: string | null;
  /** The connecting client (SMTP), as text; a trap hit's origin. */
  client_ip: string | null;
  envelope_from: string | null;
  smtp_helo: string | null;
  raw_sha256: string | null;
  raw_size: number | null;
  content: Buffer | null;
}

/**
 * Loads submissions (several in one round trip: a batch job's) with their raw message when it is
 * small. Inline content stops at `INLINE_BUDGET_BYTES` in total, so one call holds a bounded amount
 * of memory; rows past it come with `content` null and are read by `loadRawInChunks`.
 *
 * Text mode, every column: node-postgres' binary mode alters any value that is not valid UTF-8
 * (shared/db/pg-pool.ts). The bytea comes as base64 (1.35× its size on the wire, decoded natively)
 * rather than bytea's hex text form (2×).
 */
export async function loadSubmissions(ds: DataSource, ids: readonly string[]): Promise<Map<string, LoadedSubmission>> {
  const { rows } = await pgPool(ds).query<Omit<LoadedSubmission, 'content'> & { content: string | null }>(
    `SELECT s.id, s.channel, s.received_at, s.reporter, s.status, s.feedback_loop, host(s.client_ip) AS client_ip, s.envelope_from, s.smtp_helo, s.raw_sha256, r.size_bytes AS raw_size,
            CASE WHEN r.size_bytes <= $2
                  AND sum(CASE WHEN r.size_bytes <= $2 THEN r.size_bytes ELSE 0 END) OVER (ORDER BY s.id) <= $3
                 THEN encode(r.content, 'base64') END AS content
       FROM submissions s LEFT JOIN raw_messages r ON r.sha256 = s.raw_sha256
      WHERE s.id = ANY($1::uuid[])`,
    [ids, INLINE_RAW_BYTES, INLINE_BUDGET_BYTES],
  );
  return new Map(rows.map((r) => [r.id, { ...r, content: r.content === null ? null : Buffer.from(r.content, 'base64') }]));
}

/**
 * Reads a large raw message in 1 MiB slices into one preallocated Buffer (base64 text decoded in
 * place). Why slices: node-postgres grows its read buffer by copying, so one 25 MB message loaded
 * whole peaks at many times its size (docs/reliability.md). Returns null when retention deleted
 * the message meanwhile.
 */
export async function loadRawInChunks(ds: DataSource, sha256: string, sizeBytes: number): Promise<Buffer | null> {
  const out = Buffer.allocUnsafe(sizeBytes);
  // On a connection closed afterwards: it keeps a read buffer the size of a slice (pg-pool.ts).
  return withThrowawayClient(ds, async (client) => {
    for (let offset = 0; offset < sizeBytes; offset += CHUNK_BYTES) {
      const { rows: [row] } = await client.query<{ part: string }>(
        `SELECT encode(substring(content FROM $2 FOR $3), 'base64') AS part FROM raw_messages WHERE sha256 = $1`,
        [sha256, offset + 1, CHUNK_BYTES],
      );
      if (!row) return null;
      const expected = Math.min(CHUNK_BYTES, sizeBytes - offset);
      if (out.write(row.part, offset, 'base64') !== expected) throw new Error(`raw message ${sha256} changed size while being read`);
    }
    return out;
  });
}
