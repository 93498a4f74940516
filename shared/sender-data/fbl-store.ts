import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { returningRows } from '../db/returning-rows.ts';

export interface FblSubscription {
  id: string;
  ownerId: string;
  email: string;
  status: 'pending' | 'active' | 'removed';
}

const COLS = `id, owner_id AS "ownerId", email, status`;

/** A pending subscription (or the live one for the same address: asking twice changes nothing). */
export async function subscribeFbl(em: EntityManager, ownerId: string, email: string): Promise<FblSubscription> {
  const [existing]: FblSubscription[] = await em.query(`SELECT ${COLS} FROM sender_fbl_subscriptions WHERE owner_id = $1 AND email = $2 AND status <> 'removed'`, [ownerId, email]);
  if (existing) return existing;
  const [row]: FblSubscription[] = await em.query(
    `INSERT INTO sender_fbl_subscriptions (id, owner_id, email) VALUES ($1, $2, $3) RETURNING ${COLS}`,
    [randomUUID(), ownerId, email],
  );
  return row!;
}

export async function ownerSubscriptions(em: EntityManager, ownerId: string): Promise<FblSubscription[]> {
  return em.query(`SELECT ${COLS} FROM sender_fbl_subscriptions WHERE owner_id = $1 AND status <> 'removed' ORDER BY created_at`, [ownerId]);
}

export async function subscriptionById(em: EntityManager, id: string): Promise<FblSubscription | null> {
  const [row]: FblSubscription[] = await em.query(`SELECT ${COLS} FROM sender_fbl_subscriptions WHERE id = $1`, [id]);
  return row ?? null;
}

/** pending → active, by the confirmation link mailed to the address itself. */
export async function activateFbl(em: EntityManager, id: string, now: Date): Promise<boolean> {
  return returningRows(await em.query(`UPDATE sender_fbl_subscriptions SET status = 'active', confirmed_at = $2 WHERE id = $1 AND status = 'pending' RETURNING id`, [id, now])).length > 0;
}

export async function removeFbl(em: EntityManager, ownerId: string, id: string, now: Date): Promise<boolean> {
  return returningRows(await em.query(
    `UPDATE sender_fbl_subscriptions SET status = 'removed', removed_at = $3 WHERE id = $1 AND owner_id = $2 AND status <> 'removed' RETURNING id`,
    [id, ownerId, now],
  )).length > 0;
}
