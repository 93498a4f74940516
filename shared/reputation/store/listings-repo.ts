import type { EntityManager } from 'typeorm';
import { recordEvent } from '../../webhooks/record-event.ts';

/** Writes to `listings` and `listing_history` together: no listing change without its reason. */

export type HistoryAction = 'listed' | 'expired' | 'delisted' | 'manual';

export interface ListingRow {
  ip: string;
  listedAt: Date;
  reasons: string[];
  /** Made by an analyst: it never expires by itself, except at `expiresAt` when one was given. */
  manual: boolean;
  expiresAt: Date | null;
}

export async function getListing(em: EntityManager, ip: string, forUpdate = false): Promise<ListingRow | null> {
  const [row]: { ip: string; listed_at: Date; reasons: string[]; manual: boolean; expires_at: Date | null }[] = await em.query(
    `SELECT host(ip) AS ip, listed_at, reasons, manual, expires_at FROM listings WHERE ip = $1::inet${forUpdate ? ' FOR UPDATE' : ''}`,
    [ip],
  );
  return row ? { ip: row.ip, listedAt: row.listed_at, reasons: row.reasons, manual: row.manual, expiresAt: row.expires_at } : null;
}

/**
 * An analyst's listing: a new manual listing, or an existing one (the system's or an earlier
 * manual one) taken over as manual with this reason and expiry. Manual listings never expire by
 * themselves unless `expiresAt` is given. Returns whether a listing was created.
 */
export async function addManualListing(em: EntityManager, ip: string, reason: string, actor: string, now: Date, expiresAt: Date | null): Promise<boolean> {
  const rows: { created: boolean }[] = await em.query(
    `INSERT INTO listings (ip, listed_at, reasons, manual, expires_at) VALUES ($1::inet, $2, $3::jsonb, true, $4)
     ON CONFLICT (ip) DO UPDATE SET manual = true, expires_at = EXCLUDED.expires_at, reasons = listings.reasons || EXCLUDED.reasons
     RETURNING (xmax = 0) AS created`,
    [ip, now, JSON.stringify([reason]), expiresAt],
  );
  const until = expiresAt ? ` (until ${expiresAt.toISOString()})` : ' (no expiry)';
  await addHistory(em, ip, 'manual', `${rows[0]!.created ? '' : 'taken over as manual: '}${reason}${until}`, actor, now);
  return rows[0]!.created;
}

/** Lists an IP (no-op when it already is); returns whether a listing was created. */
export async function addListing(
  em: EntityManager,
  ip: string,
  reasons: string[],
  actor: string,
  now: Date,
  action: 'listed' | 'manual' = 'listed',
): Promise<boolean> {
  const rows: unknown[] = await em.query(
    `INSERT INTO listings (ip, listed_at, reasons) VALUES ($1::inet, $2, $3::jsonb) ON CONFLICT (ip) DO NOTHING RETURNING ip`,
    [ip, now, JSON.stringify(reasons)],
  );
  if (rows.length === 0) return false;
  await addHistory(em, ip, action, reasons.join('; '), actor, now);
  await recordEvent(em, 'listing.created', { ip, reasons, actor, at: now.toISOString() });
  return true;
}

/**
 * Removes a listing. A delisting (request or analyst) also resets the score: the sender gets
 * a clean start, and the 30-day removal count stops a sender from abusing that.
 */
export async function removeListing(
  em: EntityManager,
  ip: string,
  action: 'expired' | 'delisted' | 'manual',
  reason: string,
  actor: string,
  now: Date,
): Promise<boolean> {
  // TypeORM answers a DELETE with [rows, affectedCount].
  const [, deleted] = (await em.query(`DELETE FROM listings WHERE ip = $1::inet`, [ip])) as [unknown[], number];
  if (deleted === 0) return false;
  if (action !== 'expired') {
    await em.query(`UPDATE reputation_subjects SET score = 0, updated_at = $2 WHERE kind = 'ip' AND key = $1`, [ip, now]);
  }
  await addHistory(em, ip, action, reason, actor, now);
  await recordEvent(em, 'listing.removed', { ip, action, reason, actor, at: now.toISOString() });
  return true;
}

export async function addHistory(em: EntityManager, ip: string, action: HistoryAction, reason: string, actor: string, now: Date): Promise<void> {
  await em.query(`INSERT INTO listing_history (ip, action, reason, actor, at) VALUES ($1::inet, $2, $3, $4, $5)`, [ip, action, reason, actor, now]);
}

/** Removals (expiry or delisting) of this IP in the 30 days before `now`. */
export async function removalsIn30Days(em: EntityManager, ip: string, now: Date): Promise<number> {
  const [{ n }]: [{ n: number }] = await em.query(
    `SELECT count(*)::int AS n FROM listing_history
      WHERE ip = $1::inet AND action IN ('expired','delisted') AND at > $2::timestamptz - interval '30 days' AND at <= $2`,
    [ip, now],
  );
  return n;
}

export interface HistoryEntry {
  action: HistoryAction;
  reason: string;
  actor: string;
  at: string;
}

export async function listingHistory(em: EntityManager, ip: string, limit = 100): Promise<HistoryEntry[]> {
  const rows: { action: HistoryAction; reason: string; actor: string; at: Date }[] = await em.query(
    `SELECT action, reason, actor, at FROM listing_history WHERE ip = $1::inet ORDER BY at DESC, id DESC LIMIT $2`,
    [ip, limit],
  );
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
