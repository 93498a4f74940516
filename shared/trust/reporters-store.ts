import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '../db/returning-rows.ts';
import { hashToken, newAddressToken } from './tokens.ts';

/**
 * Reporters with a personal reporting address (`reporters`): one live address per identity; only
 * the token's SHA-256 is kept, so the address is shown once, when it is issued.
 */
export interface ReporterRow {
  id: string;
  email: string;
  identity: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

type Row = { id: string; email: string; identity: string; created_at: Date; revoked_at: Date | null; revoked_by: string | null; revoke_reason: string | null };
const view = (r: Row): ReporterRow => ({
  id: r.id, email: r.email, identity: r.identity, createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null, revokedBy: r.revoked_by, revokeReason: r.revoke_reason,
});

/** Revokes every live address of an identity; returns how many. */
export async function revokeByIdentity(em: EntityManager, identity: string, by: string, reason: string, now: Date): Promise<number> {
  return returningRows<{ id: string }>(await em.query(
    `UPDATE reporters SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 WHERE identity = $1 AND revoked_at IS NULL RETURNING id`,
    [identity, now, by, reason.slice(0, 1000)],
  )).length;
}

/**
 * Issues a new personal address for a confirmed identity; an earlier live one is revoked in the
 * same transaction (lost addresses are replaced this way). Returns the token, never stored.
 */
export async function issueAddress(em: EntityManager, email: string, identity: string, now: Date): Promise<{ id: string; token: string; replaced: number }> {
  const replaced = await revokeByIdentity(em, identity, 'reporter', 'replaced by a new personal address', now);
  const id = randomUUID();
  const token = newAddressToken();
  await em.query(`INSERT INTO reporters (id, email, identity, token_sha256, created_at) VALUES ($1, $2, $3, $4, $5)`, [id, email, identity, hashToken(token), now]);
  return { id, token, replaced };
}

/** An analyst (or the CLI) revokes one address: 'revoked', 'already' or 'unknown'. */
export async function revokeById(ds: DataSource, id: string, by: string, reason: string, now: Date): Promise<'revoked' | 'already' | 'unknown'> {
  const done = returningRows<{ id: string }>(await ds.query(
    `UPDATE reporters SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
    [id, now, by, reason.slice(0, 1000)],
  ));
  if (done.length) return 'revoked';
  const [exists]: unknown[] = await ds.query(`SELECT 1 FROM reporters WHERE id = $1`, [id]);
  return exists ? 'already' : 'unknown';
}

export async function listReporters(ds: DataSource, opts: { status: 'live' | 'revoked' | 'all'; identity?: string | null; limit: number }): Promise<ReporterRow[]> {
  const rows: Row[] = await ds.query(
    `SELECT id, email, identity, created_at, revoked_at, revoked_by, revoke_reason FROM reporters
      WHERE ($1 = 'all' OR ($1 = 'live') = (revoked_at IS NULL)) AND ($2::text IS NULL OR identity = $2)
      ORDER BY created_at DESC LIMIT $3`,
    [opts.status, opts.identity ?? null, opts.limit],
  );
  return rows.map(view);
}
