import { loadConfig } from '../../shared/config/load-config.ts';
import { migrate } from '../../shared/db/migrate.ts';
import { createDataSource } from '../../shared/db/data-source.ts';
import { loadTenancyFile } from '../../shared/tenancy/parse-tenancy.ts';
import { importTenancy } from '../../shared/tenancy/tenancy-store.ts';
import { badArgs } from '../main.ts';

const USAGE = 'usage: tenancy import FILE | tenancy check FILE';

/**
 * `tenancy import FILE` validates the file and loads it into the database (re-import updates and
 * removes; identical content changes nothing). `tenancy check FILE` only validates. A bad file exits 2.
 */
export async function tenancyCommand(args: string[]): Promise<number> {
  const [action, file, ...extra] = args;
  if ((action !== 'import' && action !== 'check') || !file || extra.length) throw badArgs(USAGE);
  const tenancy = loadTenancyFile(file);
  if (action === 'check') {
    process.stdout.write(`${file}: valid (${tenancy.tenants.length} tenants, ${tenancy.platform.networks.length} platform networks)\n`);
    return 0;
  }
  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const ds = createDataSource({ url: config.DATABASE_URL, poolSize: 1 });
  await ds.initialize();
  try {
    const r = await importTenancy(ds, tenancy, file);
    process.stdout.write(
      r.changed
        ? `imported ${file} as tenancy version ${r.version}: ${r.added.length} added, ${r.updated.length} updated, ${r.removed.length} removed\n`
        : `${file} is already imported (version ${r.version}); nothing changed\n`,
    );
    return 0;
  } finally {
    await ds.destroy();
  }
}
