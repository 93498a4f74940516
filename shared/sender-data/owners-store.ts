import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { returningRows } from '../db/returning-rows.ts';
import { hashToken, newLinkToken, LINK_TOKEN } from '../trust/tokens.ts';

/** An IP owner: one normalised email address (shared/identity/normalize-address.ts). */
export interface Owner {
  id: string;
  email: string;
}

/** Owner sessions last this long from sign-in (no sliding: a mailed link is cheap to ask for again). */
export const OWNER_SESSION_MS = 12 * 3600_000;

/** The owner for an address, created on first sign-in. */
export async function ownerFor(em: EntityManager, email: string): Promise<Owner> {
  const [row]: Owner[] = await em.query(
    `INSERT INTO sender_owners (id, email) VALUES ($1, $2) ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id, email`,
    [randomUUID(), email],
  );
  return row!;
}

/** A new session: the cookie value is returned once; only its SHA-256 is stored. */
export async function createOwnerSession(em: EntityManager, ownerId: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = newLinkToken();
  const expiresAt = new Date(now.getTime() + OWNER_SESSION_MS);
  await em.query(`DELETE FROM sender_owner_sessions WHERE expires_at < $1`, [now]);
  await em.query(`INSERT INTO sender_owner_sessions (token_sha256, owner_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [hashToken(token), ownerId, now, expiresAt]);
  return { token, expiresAt };
}

export async function ownerBySession(em: EntityManager, token: string, now: Date): Promise<Owner | null> {
  if (!LINK_TOKEN.test(token)) return null;
  const [row]: Owner[] = await em.query(
    `SELECT o.id, o.email FROM sender_owner_sessions s JOIN sender_owners o ON o.id = s.owner_id WHERE s.token_sha256 = $1 AND s.expires_at > $2`,
    [hashToken(token), now],
  );
  return row ?? null;
}

export async function endOwnerSession(em: EntityManager, token: string): Promise<void> {
  if (LINK_TOKEN.test(token)) await em.query(`DELETE FROM sender_owner_sessions WHERE token_sha256 = $1`, [hashToken(token)]);
}

/** Issues (or re-issues, replacing the old one) the owner's secret data URL token. Returned once. */
export async function issueDataToken(em: EntityManager, ownerId: string): Promise<string> {
  const token = newLinkToken();
  await em.query(
    `INSERT INTO sender_data_tokens (owner_id, token_sha256) VALUES ($1, $2)
     ON CONFLICT (owner_id) DO UPDATE SET token_sha256 = EXCLUDED.token_sha256, created_at = now()`,
    [ownerId, hashToken(token)],
  );
  return token;
}

export async function revokeDataToken(em: EntityManager, ownerId: string): Promise<boolean> {
  return returningRows(await em.query(`DELETE FROM sender_data_tokens WHERE owner_id = $1 RETURNING owner_id`, [ownerId])).length > 0;
}

export async function dataTokenIssuedAt(em: EntityManager, ownerId: string): Promise<Date | null> {
  const [row]: { created_at: Date }[] = await em.query(`SELECT created_at FROM sender_data_tokens WHERE owner_id = $1`, [ownerId]);
  return row?.created_at ?? null;
}

export async function ownerByDataToken(em: EntityManager, token: string): Promise<Owner | null> {
  if (!LINK_TOKEN.test(token)) return null;
  const [row]: Owner[] = await em.query(
    `SELECT o.id, o.email FROM sender_data_tokens t JOIN sender_owners o ON o.id = t.owner_id WHERE t.token_sha256 = $1`,
    [hashToken(token)],
  );
  return row ?? null;
}
