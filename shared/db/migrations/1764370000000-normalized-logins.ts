import type { MigrationInterface, QueryRunner } from 'typeorm';
import { normalizeLogin } from '../../identity/normalize-address.ts';

/**
 * UI users' emails are stored as `normalizeLogin` gives them (NFKC, lower case), and looked up by
 * exact match: Postgres' `lower()` folded `vİctim@` onto `victim@` while the login counters, keyed
 * in JavaScript, did not — one account, two counters. Rewritten in JavaScript so the stored form is
 * exactly what the code computes. If two existing users normalise alike, the older keeps the
 * address and the newer is disabled (its row and email are kept for the record).
 */
export class NormalizedLogins1764370000000 implements MigrationInterface {
  name = 'NormalizedLogins1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_email`);
    const rows: { id: string; email: string; disabled: boolean }[] = await q.query(
      `SELECT id, email, disabled_at IS NOT NULL AS disabled FROM users ORDER BY disabled_at IS NOT NULL, created_at, id`,
    );
    const taken = new Set<string>();
    for (const row of rows) {
      const email = normalizeLogin(row.email);
      if (taken.has(email)) {
        if (!row.disabled) await q.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [row.id]);
        continue;
      }
      if (!row.disabled) taken.add(email);
      if (email !== row.email) await q.query(`UPDATE users SET email = $2 WHERE id = $1`, [row.id, email]);
    }
    // Unique among active users: a disabled account's address can be given to a new user.
    await q.query(`CREATE UNIQUE INDEX users_email ON users (email) WHERE disabled_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_email`);
    await q.query(`CREATE UNIQUE INDEX users_email ON users (lower(email))`);
  }
}
