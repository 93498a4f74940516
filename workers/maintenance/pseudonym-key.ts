import { randomBytes } from 'node:crypto';
import type { Config } from '../../shared/config/config.schema.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import type { Logger } from '../../shared/logger.ts';

/**
 * The HMAC key for reporter pseudonyms. Production must configure one (PSEUDONYMISE_KEY or
 * PSEUDONYMISE_KEY_FILE): the same key everywhere keeps one reporter's pseudonym stable, so
 * "distinct reporters" still counts right. Elsewhere a random key is drawn per process and
 * thrown away — rejected alternative: a fixed default key, which anyone could use to re-identify.
 */
export function resolvePseudonymKey(config: Config, log: Logger): Buffer {
  if (config.PSEUDONYMISE_KEY) return Buffer.from(config.PSEUDONYMISE_KEY, 'utf8');
  if (config.NODE_ENV === 'production') {
    throw new AppError('config_invalid', 'PSEUDONYMISE_KEY (or PSEUDONYMISE_KEY_FILE) is required in production', {
      variable: 'PSEUDONYMISE_KEY',
    });
  }
  log.warn('PSEUDONYMISE_KEY is not set: using a random key for this process; pseudonyms will differ between processes and restarts');
  return randomBytes(32);
}
