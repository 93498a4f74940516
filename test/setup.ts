import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { dropDatabase } from '../shared/db/ensure-database.ts';
import { migrate } from '../shared/db/migrate.ts';

/**
 * Root hooks: one fresh database and one Redis key prefix per test run, removed at the end.
 * Tests read them from process.env (DATABASE_URL, REDIS_PREFIX) through `testConfig()`.
 */
const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const baseDb = process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbUrl = new URL(baseDb);
dbUrl.pathname = `/abuse_intake_test_${runId}`;
process.env.DATABASE_URL = dbUrl.toString();
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.REDIS_PREFIX = `test-${runId}`;
process.env.LOG_LEVEL ??= 'silent';
process.env.NODE_ENV = 'test';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    await migrate(process.env.DATABASE_URL!);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await dropDatabase(process.env.DATABASE_URL!);
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.REDIS_PREFIX}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  },
};
