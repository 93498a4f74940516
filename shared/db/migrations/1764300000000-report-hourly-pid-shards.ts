import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hourly rollup's shard becomes the backend pid itself instead of pid % 16. Why: with ~40
 * worker connections, 16 shards made several connections share one "this hour" row, and each
 * report transaction then waited on another's row lock until its COMMIT (seen as
 * Lock:transactionid on INSERT INTO reports). With the pid, a row is only ever written by one
 * connection at a time. Cost: up to one row per connection and hour (readers already sum shards);
 * rejected: pid % 1024 — 40 connections in 1024 slots still collide about half the time.
 */
export class ReportHourlyPidShards1764300000000 implements MigrationInterface {
  name = 'ReportHourlyPidShards1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report_hourly ALTER COLUMN shard TYPE integer`);
    await q.query(`
      CREATE OR REPLACE FUNCTION report_hourly_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO report_hourly (hour, shard, n)
        SELECT date_trunc('hour', received_at, 'UTC'), pg_backend_pid(), count(*) FROM new_rows GROUP BY 1 ORDER BY 1
        ON CONFLICT (hour, shard) DO UPDATE SET n = report_hourly.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION report_hourly_remove() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO report_hourly (hour, shard, n)
        SELECT date_trunc('hour', received_at, 'UTC'), pg_backend_pid(), -count(*) FROM old_rows GROUP BY 1 ORDER BY 1
        ON CONFLICT (hour, shard) DO UPDATE SET n = report_hourly.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [fn, rows, sign] of [['report_hourly_add', 'new_rows', ''], ['report_hourly_remove', 'old_rows', '-']] as const) {
      await q.query(`
        CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO report_hourly (hour, shard, n)
          SELECT date_trunc('hour', received_at, 'UTC'), pg_backend_pid() % 16, ${sign}count(*) FROM ${rows} GROUP BY 1 ORDER BY 1
          ON CONFLICT (hour, shard) DO UPDATE SET n = report_hourly.n + EXCLUDED.n;
          RETURN NULL;
        END $$`);
    }
    // Fold the pid rows back into 16 shards before narrowing the column.
    await q.query(`CREATE TEMP TABLE report_hourly_fold AS SELECT hour, (shard % 16)::smallint AS shard, sum(n) AS n FROM report_hourly GROUP BY 1, 2`);
    await q.query(`DELETE FROM report_hourly`);
    await q.query(`ALTER TABLE report_hourly ALTER COLUMN shard TYPE smallint`);
    await q.query(`INSERT INTO report_hourly (hour, shard, n) SELECT hour, shard, n FROM report_hourly_fold`);
    await q.query(`DROP TABLE report_hourly_fold`);
  }
}
