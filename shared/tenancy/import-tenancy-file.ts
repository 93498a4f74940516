import type { DataSource } from 'typeorm';
import type { Logger } from '../logger.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { loadTenancyFile } from './parse-tenancy.ts';
import { importTenancy, type ImportResult } from './tenancy-store.ts';

/**
 * `TENANCY_FILE` at start: validate and import. A bad file stops the start (exit 1) rather than
 * running with a stale or empty tenancy that would attribute nothing.
 */
export async function importTenancyFile(ds: DataSource, path: string, log: Logger): Promise<ImportResult> {
  try {
    const result = await importTenancy(ds, loadTenancyFile(path), path);
    log.info({ file: path, ...result }, result.changed ? 'tenancy imported' : 'tenancy unchanged');
    return result;
  } catch (err) {
    if (isAppError(err) && err.code === 'validation_failed') throw new AppError('config_invalid', `TENANCY_FILE: ${err.message}`, err.details);
    throw err;
  }
}
