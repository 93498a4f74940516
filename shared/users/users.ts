import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppError } from '../errors/app-error.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { returningRows } from '../db/returning-rows.ts';

export const USER_ROLES = ['analyst', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A UI user as the rest of the code sees it (the hash never leaves this module). */
export interface User {
  id: string;
  email: string;
  role: UserRole;
}

export const MIN_PASSWORD_LENGTH = 12;

export async function createUser(ds: DataSource, email: string, role: UserRole, password: string): Promise<User> {
  const normalized = email.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(normalized) || normalized.length > 254) {
    throw new AppError('validation_failed', `not an email address: ${normalized}`);
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', `the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const id = randomUUID();
  const hash = await hashPassword(password);
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO users (id, email, role, password_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`,
    [id, normalized, role, hash],
  );
  if (rows.length === 0) throw new AppError('conflict', `a user ${normalized} exists already`);
  return { id, email: normalized, role };
}

/** Sets a new password (`users reset-password`); null when no user has this email. */
export async function setPassword(ds: DataSource, email: string, password: string): Promise<User | null> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', `the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const hash = await hashPassword(password);
  const rows = returningRows<User>(await ds.query(
    `UPDATE users SET password_hash = $2 WHERE lower(email) = lower($1) RETURNING id, email, role`,
    [email.trim(), hash],
  ));
  return rows[0] ?? null;
}

/** Null for an unknown, disabled or wrong-password user; the caller does not learn which. */
export async function checkCredentials(ds: DataSource, email: string, password: string): Promise<User | null> {
  const rows: (User & { password_hash: string })[] = await ds.query(
    `SELECT id, email, role, password_hash FROM users WHERE lower(email) = lower($1) AND disabled_at IS NULL`,
    [email.trim()],
  );
  const row = rows[0];
  // Hash anyway for unknown users so the answer time does not tell which emails exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok) return null;
  await ds.query(`UPDATE users SET last_login_at = now() WHERE id = $1`, [row.id]);
  return { id: row.id, email: row.email, role: row.role };
}

export async function findUser(ds: DataSource, id: string): Promise<User | null> {
  const rows: User[] = await ds.query(`SELECT id, email, role FROM users WHERE id = $1 AND disabled_at IS NULL`, [id]);
  return rows[0] ?? null;
}

// A valid hash of a random password: verifying against it costs the same as a real check.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$mKMGTjzr-GrUUKoxKj4QCc7GhfwOEpRKMtpoHX8_bjE';
