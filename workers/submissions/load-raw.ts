import type { DataSource } from 'typeorm';

/** Raw messages up to this size come with the submission row; larger ones are read in pieces. */
export const INLINE_RAW_BYTES = 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a large raw message in 1 MiB slices into one preallocated Buffer. Why: node-postgres
 * receives a bytea as hex text and grows its read buffer by copying, so one 25 MB message loaded
 * whole peaks at ~240 MB of extra heap; in slices it costs the message itself plus ~20 MB
 * (measured in docs/reliability.md). Returns null when retention deleted the message meanwhile.
 */
export async function loadRawInChunks(ds: DataSource, sha256: string, sizeBytes: number): Promise<Buffer | null> {
  const out = Buffer.allocUnsafe(sizeBytes);
  for (let offset = 0; offset < sizeBytes; offset += CHUNK_BYTES) {
    // base64, not bytea: a bytea arrives as hex text (2× the bytes) and is decoded in JavaScript;
    // base64 is 1.35× and Buffer decodes it natively (it skips the line breaks encode() adds).
    const [row]: { part: string }[] = await ds.query(
      `SELECT encode(substring(content FROM $2 FOR $3), 'base64') AS part FROM raw_messages WHERE sha256 = $1`,
      [sha256, offset + 1, CHUNK_BYTES],
    );
    if (!row) return null;
    out.write(row.part, offset, 'base64');
  }
  return out;
}
