import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger.ts';
import { loadTenancyFile } from './parse-tenancy.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { importTenancy, tenancyVersion } from './tenancy-store.ts';

/** examples/demo-tenancy.yaml: the contract's contoso example plus a second tenant. */
export const DEMO_TENANCY_FILE = join(PACKAGE_ROOT, 'examples', 'demo-tenancy.yaml');

/** `start --demo`: imports the demo tenancy when none was ever imported; never overwrites a real one. */
export async function seedDemoTenancy(ds: DataSource, log: Logger): Promise<boolean> {
  if ((await tenancyVersion(ds)) > 0) return false;
  const r = await importTenancy(ds, loadTenancyFile(DEMO_TENANCY_FILE), DEMO_TENANCY_FILE);
  log.info({ version: r.version, tenants: r.added }, 'demo: imported examples/demo-tenancy.yaml');
  return true;
}
