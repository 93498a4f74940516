import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys are scoped to the API key that sent them: a second intake client reusing another
 * client's `Idempotency-Key` got the first client's submission, and its own message was dropped.
 * `api_key_id` records the key (null on channels without one); NULLS NOT DISTINCT (Postgres 15+)
 * keeps rows without a key — older rows, keyless channels — unique per channel as before.
 */
export class IdempotencyPerKey1764370000001 implements MigrationInterface {
  name = 'IdempotencyPerKey1764370000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE submissions ADD COLUMN api_key_id varchar(32)`);
    await q.query(`DROP INDEX submissions_idempotency`);
    await q.query(`CREATE UNIQUE INDEX submissions_idempotency ON submissions (channel, api_key_id, idempotency_key) NULLS NOT DISTINCT
                   WHERE idempotency_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX submissions_idempotency`);
    await q.query(`ALTER TABLE submissions DROP COLUMN api_key_id`);
    await q.query(`CREATE UNIQUE INDEX submissions_idempotency ON submissions (channel, idempotency_key) WHERE idempotency_key IS NOT NULL`);
  }
}
