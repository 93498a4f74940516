import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.schema.ts';
import { AppError } from '../errors/app-error.ts';
import type { Logger } from '../logger.ts';

const drawn = new WeakMap<Config, Buffer>();

/**
 * The HMAC key for reporter pseudonyms. Production must configure one (PSEUDONYMISE_KEY or
 * PSEUDONYMISE_KEY_FILE): the same key everywhere keeps one reporter's pseudonym stable, so
 * "distinct reporters" still counts right, and the api serves a raw message with the same
 * pseudonyms the worker stored. Elsewhere a random key is drawn once per process (the roles of one
 * process share it) and thrown away — rejected alternative: a fixed default key, which anyone
 * could use to re-identify.
 */
export function resolvePseudonymKey(config: Config, log: Logger): Buffer {
  if (config.PSEUDONYMISE_KEY) return Buffer.from(config.PSEUDONYMISE_KEY, 'utf8');
  if (config.NODE_ENV === 'production') {
    throw new AppError('config_invalid', 'PSEUDONYMISE_KEY (or PSEUDONYMISE_KEY_FILE) is required in production', {
      variable: 'PSEUDONYMISE_KEY',
    });
  }
  let key = drawn.get(config);
  if (!key) {
    log.warn('PSEUDONYMISE_KEY is not set: using a random key for this process; pseudonyms will differ between processes and restarts');
    key = randomBytes(32);
    drawn.set(config, key);
  }
  return key;
}
