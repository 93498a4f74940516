import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The analyst workspace: UI users, and the indexes the analyst queries need at 1M+ reports.
 * Top-N and time series read a covering index on received_at (index-only scans) instead of an
 * hourly rollup table: a rollup maintained in the worker transaction makes every worker update the
 * same hot "total" row per hour (lock contention at intake peaks); bench/queries.bench.ts shows
 * the index is fast enough.
 */
export class Analyst1764280000000 implements MigrationInterface {
  name = 'Analyst1764280000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email varchar(254) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('analyst','admin')),
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz,
        disabled_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email ON users (lower(email))`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // One trigram index over the three text fields `q` searches (one expression, one index scan).
    await q.query(`CREATE INDEX reports_text_trgm ON reports USING gin (
      (coalesce(subject,'') || ' ' || coalesce(from_address,'') || ' ' || coalesce(message_id,'')) gin_trgm_ops)`);
    // Covering index for top-N and time series: the aggregates never touch the heap.
    await q.query(`CREATE INDEX reports_stats_cover ON reports (received_at)
      INCLUDE (relay_ip, originating_ip, tenant_id, from_domain)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reports_stats_cover`);
    await q.query(`DROP INDEX reports_text_trgm`);
    await q.query(`DROP TABLE users`);
  }
}
