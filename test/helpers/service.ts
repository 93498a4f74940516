import { createApiKey } from '../../shared/auth/api-keys.ts';
import type { ApiRole } from '../../shared/db/entities/api-key.entity.ts';
import { createLogger } from '../../shared/logger.ts';
import { startService, type RunningService, type StartOptions } from '../../runtime/start-service.ts';
import { testConfig } from './config.ts';
import type { DataSource } from 'typeorm';
import { Redis } from 'ioredis';
import { testDataSource, truncateAll } from './db.ts';
import { ipCacheKey } from '../../shared/reputation/store/ip-cache.ts';

export interface TestService extends RunningService {
  url: string;
  redisUrl: string;
  redisPrefix: string;
}

/**
 * Starts the real service (the roles given) on an ephemeral port against the run's database.
 * `opts.demo` is `start --demo`'s mode (the development outbox without a relay).
 */
export async function startTestService(overrides: Record<string, string> = {}, opts: StartOptions = {}): Promise<TestService> {
  const config = testConfig(overrides);
  const service = await startService(config, createLogger(config.LOG_LEVEL), opts);
  return Object.assign(service, { url: `http://127.0.0.1:${service.httpPort}`, redisUrl: config.REDIS_URL, redisPrefix: config.REDIS_PREFIX });
}

/**
 * Empties every table (but `keep`) AND the Redis copy of scores and listings the MTA lookup reads.
 * Truncating Postgres alone left the previous test's listing in that copy, where the next test's
 * first score update merged into it: an IP "listed" with the new test's first report.
 */
export async function resetStores(svc: TestService, ds: DataSource, keep: readonly string[] = []): Promise<void> {
  await truncateAll(ds, keep);
  const redis = new Redis(svc.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.del(ipCacheKey(svc.redisPrefix));
  } finally {
    redis.disconnect();
  }
}

/** Creates an API key with `role` and returns the bearer header value. */
export async function bearer(ds: DataSource, role: ApiRole): Promise<string> {
  return `Bearer ${(await createApiKey(ds, role, `test ${role}`)).key}`;
}

export interface ServiceFixture {
  svc: TestService;
  ds: DataSource;
}

/**
 * Mocha hooks for a suite against the real service: starts it (the roles given) and a DataSource
 * before the suite, empties every table (but `keepTables`: e.g. the tenancy TENANCY_FILE imported
 * at start) before each test, stops both after. Read `svc` and `ds`
 * from the returned object inside hooks and tests (they are set once `before` has run).
 */
export function useTestService(overrides: Record<string, string> = {}, opts: { keepTables?: string[] } = {}): ServiceFixture {
  const fixture = {} as ServiceFixture;
  before(async () => {
    fixture.svc = await startTestService(overrides);
    fixture.ds = await testDataSource();
  });
  after(async () => {
    await fixture.svc?.stop();
    await fixture.ds?.destroy();
  });
  beforeEach(() => resetStores(fixture.svc, fixture.ds, opts.keepTables));
  return fixture;
}
