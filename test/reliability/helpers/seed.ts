import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface SeedOptions {
  status?: string;
  receivedAt?: Date;
  reporter?: string | null;
  envelopeFrom?: string | null;
  error?: string | null;
  processedAt?: Date | null;
  /** The intake batch (job id) it was queued with. */
  batchId?: string | null;
  /** What the channel vouched for. @defaultValue platform, as the HTTP intake with a platform key writes it */
  trust?: 'anonymous' | 'verified' | 'platform';
}

/** Writes a raw message and a submission row directly, as the intake would have committed them. */
export async function seedSubmission(ds: DataSource, raw: Buffer, opts: SeedOptions = {}): Promise<string> {
  const sha = createHash('sha256').update(raw).digest('hex');
  const id = randomUUID();
  await ds.query(
    `INSERT INTO raw_messages (sha256, content, size_bytes, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sha256) DO UPDATE SET created_at = LEAST(raw_messages.created_at, EXCLUDED.created_at)`,
    [sha, raw, raw.length, opts.receivedAt ?? new Date()],
  );
  await ds.query(
    `INSERT INTO submissions (id, channel, received_at, reporter, envelope_from, raw_sha256, size_bytes, status, error, processed_at, batch_id,
       reporter_trust, reporter_identity)
     VALUES ($1, 'http', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [id, opts.receivedAt ?? new Date(), opts.reporter ?? null, opts.envelopeFrom ?? null, sha, raw.length,
      opts.status ?? 'queued', opts.error ?? null, opts.processedAt ?? null, opts.batchId ?? null,
      opts.trust ?? 'platform', opts.trust === 'anonymous' ? null : 'key:test-seed'],
  );
  return id;
}

export async function reportCount(ds: DataSource, submissionId: string): Promise<number> {
  const [{ n }]: [{ n: number }] = await ds.query(`SELECT count(*)::int AS n FROM reports WHERE submission_id = $1`, [submissionId]);
  return n;
}

/**
 * The reputation effects of one submission, when the reputation tables exist: one event row per
 * (report, subject). Null before the reputation migration is applied.
 */
export async function reputationEventCount(ds: DataSource, submissionId: string): Promise<number | null> {
  const [{ exists }]: [{ exists: boolean }] = await ds.query(`SELECT to_regclass('reputation_events') IS NOT NULL AS exists`);
  if (!exists) return null;
  const [{ n }]: [{ n: number }] = await ds.query(
    `SELECT count(*)::int AS n FROM reputation_events e JOIN reports r ON r.id = e.report_id WHERE r.submission_id = $1`,
    [submissionId],
  );
  return n;
}
