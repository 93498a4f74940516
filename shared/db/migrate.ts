import type { DataSource } from 'typeorm';
import { ensureDatabase } from './ensure-database.ts';
import { createDataSource } from './data-source.ts';

/**
 * Creates the database if missing and applies pending migrations. Safe to run from several
 * processes at once: TypeORM's migration table plus a Postgres advisory lock serialise them.
 */
export async function migrate(url: string): Promise<string[]> {
  await ensureDatabase(url);
  const ds = createDataSource({ url, poolSize: 1 });
  await ds.initialize();
  try {
    return await withAdvisoryLock(ds, async () => (await ds.runMigrations()).map((m) => m.name));
  } finally {
    await ds.destroy();
  }
}

const MIGRATION_LOCK = 7_411_001;

async function withAdvisoryLock<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  await ds.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    return await fn();
  } finally {
    await ds.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}

/** True when every known migration has been applied (used by /readyz). */
export async function migrationsApplied(ds: DataSource): Promise<boolean> {
  return !(await ds.showMigrations());
}
