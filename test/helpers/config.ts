import { loadConfig } from '../../shared/config/load-config.ts';
import type { Config } from '../../shared/config/config.schema.ts';

/** The configuration tests run with: the run's database and prefix, ephemeral ports. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_PREFIX: process.env.REDIS_PREFIX,
    LOG_LEVEL: process.env.LOG_LEVEL,
    NODE_ENV: 'test',
    PORT: '0',
    SMTP_PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  });
}
