import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ApiRole } from '../db/entities/api-key.entity.ts';
import type { ReporterTrust } from '../trust/reporter-trust.ts';

/**
 * API keys look like `ak_<id>_<secret>`. The id finds the row; only SHA-256 of the 32-byte random
 * secret is stored. A slow hash (argon2/bcrypt) is for low-entropy passwords: against 256 random
 * bits it only costs latency on every intake request.
 */
export interface CreatedKey {
  id: string;
  role: ApiRole;
  key: string;
}

const KEY_PATTERN = /^ak_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** What an intake through the key vouches for (docs/reputation.md); ignored for other roles. */
export interface KeyTrustOptions {
  /** @defaultValue 'platform' */
  trust?: Exclude<ReporterTrust, 'feed'>;
  /** Binds the key to this feedback loop of the tenancy: its reports are `feed`. */
  feedbackLoop?: string | null;
}

export async function createApiKey(ds: DataSource, role: ApiRole, label: string | null, opts: KeyTrustOptions = {}): Promise<CreatedKey> {
  const id = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  const feedbackLoop = opts.feedbackLoop ?? null;
  const trust: ReporterTrust = feedbackLoop ? 'feed' : (opts.trust ?? 'platform');
  await ds.query(`INSERT INTO api_keys (id, role, label, secret_sha256, trust, feedback_loop) VALUES ($1, $2, $3, $4, $5, $6)`, [
    id, role, label, sha256Hex(secret), trust, feedbackLoop,
  ]);
  return { id, role, key: `ak_${id}_${secret}` };
}

export interface VerifiedKey {
  id: string;
  role: ApiRole;
  /** What an intake through this key is trusted as (from the same cached lookup: no query per request). */
  trust: ReporterTrust;
  /** The feedback loop the key is bound to, or null. */
  feedbackLoop: string | null;
}

/** Looks a presented key up; null when it is malformed, unknown, revoked or wrong. */
export async function verifyApiKey(ds: DataSource, presented: string): Promise<VerifiedKey | null> {
  const m = KEY_PATTERN.exec(presented);
  if (!m) return null;
  const [, id, secret] = m as unknown as [string, string, string];
  const rows: { role: ApiRole; secret_sha256: string; trust: ReporterTrust; feedback_loop: string | null }[] = await ds.query(
    `SELECT role, secret_sha256, trust, feedback_loop FROM api_keys WHERE id = $1 AND revoked_at IS NULL`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  const a = Buffer.from(row.secret_sha256, 'hex');
  const b = Buffer.from(sha256Hex(secret), 'hex');
  return a.length === b.length && timingSafeEqual(a, b) ? { id, role: row.role, trust: row.trust, feedbackLoop: row.feedback_loop } : null;
}

export async function revokeApiKey(ds: DataSource, id: string): Promise<boolean> {
  const res = await ds.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  return (res as [unknown, number])[1] > 0;
}
