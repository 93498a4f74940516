import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { returningRows } from '../db/returning-rows.ts';

export type RangeStatus = 'pending' | 'verified' | 'rejected';

/** An owner's request for a range, and how it was decided. */
export interface RangeRequest {
  id: string;
  ownerId: string;
  ownerEmail: string;
  cidr: string;
  status: RangeStatus;
  method: 'ptr' | 'analyst' | null;
  ptrDomains: string[];
  mailedTo: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  note: string | null;
}

type Row = {
  id: string; owner_id: string; owner_email: string; cidr: string; status: RangeStatus; method: 'ptr' | 'analyst' | null; ptr_domains: string[];
  mailed_to: string | null; created_at: Date; decided_at: Date | null; decided_by: string | null; note: string | null;
};
const SELECT = `SELECT r.id, r.owner_id, o.email AS owner_email, r.cidr::text AS cidr, r.status, r.method, r.ptr_domains, r.mailed_to,
                       r.created_at, r.decided_at, r.decided_by, r.note
                  FROM sender_ranges r JOIN sender_owners o ON o.id = r.owner_id`;
const view = (r: Row): RangeRequest => ({
  id: r.id, ownerId: r.owner_id, ownerEmail: r.owner_email, cidr: r.cidr, status: r.status, method: r.method, ptrDomains: r.ptr_domains,
  mailedTo: r.mailed_to, createdAt: r.created_at, decidedAt: r.decided_at, decidedBy: r.decided_by, note: r.note,
});

/** A pending request (or the owner's existing live one for the same range: asking twice changes nothing). */
export async function requestRange(em: EntityManager, ownerId: string, cidr: string, ptrDomains: string[]): Promise<RangeRequest> {
  const [existing]: Row[] = await em.query(`${SELECT} WHERE r.owner_id = $1 AND r.cidr = $2::cidr AND r.status <> 'rejected' ORDER BY r.created_at DESC LIMIT 1`, [ownerId, cidr]);
  if (existing) {
    if (existing.status === 'pending') await em.query(`UPDATE sender_ranges SET ptr_domains = $2 WHERE id = $1`, [existing.id, ptrDomains]);
    return view({ ...existing, ptr_domains: existing.status === 'pending' ? ptrDomains : existing.ptr_domains });
  }
  const id = randomUUID();
  await em.query(`INSERT INTO sender_ranges (id, owner_id, cidr, ptr_domains) VALUES ($1, $2, $3::cidr, $4)`, [id, ownerId, cidr, ptrDomains]);
  return (await rangeById(em, id))!;
}

export async function rangeById(em: EntityManager, id: string): Promise<RangeRequest | null> {
  const [row]: Row[] = await em.query(`${SELECT} WHERE r.id = $1`, [id]);
  return row ? view(row) : null;
}

export async function ownerRanges(em: EntityManager, ownerId: string): Promise<RangeRequest[]> {
  return ((await em.query(`${SELECT} WHERE r.owner_id = $1 ORDER BY r.created_at DESC LIMIT 200`, [ownerId])) as Row[]).map(view);
}

export async function rangesByStatus(em: EntityManager, status: RangeStatus | 'all', limit: number): Promise<RangeRequest[]> {
  const rows: Row[] = await em.query(`${SELECT} WHERE ($1 = 'all' OR r.status = $1) ORDER BY r.created_at DESC LIMIT $2`, [status, limit]);
  return rows.map(view);
}

export async function markMailed(em: EntityManager, id: string, to: string): Promise<void> {
  await em.query(`UPDATE sender_ranges SET mailed_to = $2 WHERE id = $1`, [id, to]);
}

/**
 * Decides a pending request (PTR proof or an analyst). Only a pending one changes: the row lock of
 * the UPDATE lets exactly one decision win; the caller learns null when it was already decided.
 */
export async function decideRange(
  em: EntityManager, id: string, d: { status: 'verified' | 'rejected'; method: 'ptr' | 'analyst'; by: string; note?: string | null; now: Date },
): Promise<RangeRequest | null> {
  const [row] = returningRows<{ id: string }>(await em.query(
    `UPDATE sender_ranges SET status = $2, method = $3, decided_by = $4, note = $5, decided_at = $6 WHERE id = $1 AND status = 'pending' RETURNING id`,
    [id, d.status, d.method, d.by, d.note ?? null, d.now],
  ));
  return row ? rangeById(em, row.id) : null;
}

/** Whether an address lies in one of the owner's verified ranges. */
export async function ownsIp(em: EntityManager, ownerId: string, ip: string): Promise<boolean> {
  const [row] = await em.query(`SELECT 1 FROM sender_ranges WHERE owner_id = $1 AND status = 'verified' AND $2::inet <<= cidr LIMIT 1`, [ownerId, ip]);
  return row !== undefined;
}
