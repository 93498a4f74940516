import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { returningRows } from '../db/returning-rows.ts';
import { hashToken, LINK_TOKEN, newLinkToken } from './tokens.ts';

/**
 * Single-use mailed links (`trust_confirmations`): a web report's confirmation (`report`), a
 * personal address's issue (`reporter`) or revocation (`revoke`). Valid 24 h; only the token's
 * SHA-256 is stored. Opening a link (GET) only reads; spending it is a separate POST.
 */
export type ConfirmationPurpose = 'report' | 'reporter' | 'revoke' | 'owner-signin' | 'owner-range' | 'owner-fbl';

export const CONFIRMATION_TTL_MS = 24 * 3600_000;

export interface Confirmation {
  id: string;
  purpose: ConfirmationPurpose;
  email: string;
  identity: string;
  submissionId: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

type Row = { id: string; purpose: ConfirmationPurpose; email: string; identity: string; submission_id: string | null; created_at: Date; expires_at: Date; used_at: Date | null };
const COLS = 'id, purpose, email, identity, submission_id, created_at, expires_at, used_at';
const toView = (r: Row): Confirmation => ({
  id: r.id, purpose: r.purpose, email: r.email, identity: r.identity, submissionId: r.submission_id,
  createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at,
});

export async function createConfirmation(
  em: EntityManager,
  c: { purpose: ConfirmationPurpose; email: string; identity: string; submissionId?: string | null; clientIp?: string | null; now: Date },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const id = randomUUID();
  const token = newLinkToken();
  const expiresAt = new Date(c.now.getTime() + CONFIRMATION_TTL_MS);
  await em.query(
    `INSERT INTO trust_confirmations (id, purpose, email, identity, submission_id, token_sha256, client_ip, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::inet, $8, $9)`,
    [id, c.purpose, c.email, c.identity, c.submissionId ?? null, hashToken(token), c.clientIp ?? null, c.now, expiresAt],
  );
  return { id, token, expiresAt };
}

export type LinkState = { state: 'live' | 'used' | 'expired'; confirmation: Confirmation } | null;

/** What a presented token is: live, already used, expired, or unknown (null). Reads only. */
export async function findConfirmation(em: EntityManager, token: string, purposes: readonly ConfirmationPurpose[], now: Date): Promise<LinkState> {
  if (!LINK_TOKEN.test(token)) return null;
  const [row]: Row[] = await em.query(`SELECT ${COLS} FROM trust_confirmations WHERE token_sha256 = $1 AND purpose = ANY($2::text[])`, [hashToken(token), purposes]);
  if (!row) return null;
  const confirmation = toView(row);
  if (row.used_at) return { state: 'used', confirmation };
  return { state: row.expires_at.getTime() <= now.getTime() ? 'expired' : 'live', confirmation };
}

/**
 * Spends a live token in the caller's transaction: exactly one POST wins (the UPDATE's row lock),
 * a second one gets null and the caller says the link was used.
 */
export async function spendConfirmation(em: EntityManager, token: string, purposes: readonly ConfirmationPurpose[], now: Date): Promise<Confirmation | null> {
  if (!LINK_TOKEN.test(token)) return null;
  const [row] = returningRows<Row>(await em.query(
    `UPDATE trust_confirmations SET used_at = $3 WHERE token_sha256 = $1 AND purpose = ANY($2::text[]) AND used_at IS NULL AND expires_at > $3
     RETURNING ${COLS}`,
    [hashToken(token), purposes, now],
  ));
  return row ? toView(row) : null;
}
