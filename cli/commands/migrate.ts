import { loadConfig } from '../../shared/config/load-config.ts';
import { migrate } from '../../shared/db/migrate.ts';

export async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  const applied = await migrate(config.DATABASE_URL);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
  return 0;
}
