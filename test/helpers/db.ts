import type { DataSource } from 'typeorm';
import { createDataSource } from '../../shared/db/data-source.ts';

/** A connected DataSource on the run's database; destroy it in `after`. */
export async function testDataSource(): Promise<DataSource> {
  const ds = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 4 });
  await ds.initialize();
  return ds;
}

/** Empties every table except the migrations record and `keep` (between tests). */
export async function truncateAll(ds: DataSource, keep: readonly string[] = []): Promise<void> {
  const tables: { tablename: string }[] = await ds.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' AND NOT (tablename = ANY($1::text[]))`,
    [keep],
  );
  await truncateTables(ds, tables.map((t) => t.tablename));
}

/**
 * TRUNCATE that cannot hang behind a worker transaction of the previous test. Such a transaction may
 * hold row locks while it waits, client-side, for a query on another connection (the tenancy cache),
 * and that query queues behind TRUNCATE's own locks: no server-side deadlock, just a hang. So each
 * attempt gives up its locks after a short lock_timeout (55P03), or as a deadlock victim (40P01), and
 * tries again once the worker got through: bounded, no sleep.
 */
export async function truncateTables(ds: DataSource, tables: readonly string[]): Promise<void> {
  if (!tables.length) return;
  const sql = `TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} CASCADE`;
  for (let attempt = 1; ; attempt++) {
    try {
      await ds.transaction(async (em) => {
        await em.query(`SET LOCAL lock_timeout = '500ms'`);
        await em.query(sql);
      });
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if ((code !== '40P01' && code !== '55P03') || attempt >= 60) throw err;
    }
  }
}

/**
 * Waits until `check` returns a value (not undefined), polling the store; fails after `timeoutMs`.
 * A condition wait, not a sleep: it returns as soon as the state is reached.
 */
export async function waitUntil<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until a submission reaches one of `statuses`; returns its row. */
export function waitForSubmission(ds: DataSource, id: string, statuses = ['processed', 'failed', 'discarded']) {
  return waitUntil(async () => {
    const [row]: { status: string; error: string | null }[] = await ds.query(`SELECT status, error FROM submissions WHERE id = $1`, [id]);
    return row && statuses.includes(row.status) ? row : undefined;
  }, `submission ${id} to reach ${statuses.join('|')}`);
}
