import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { createLogger } from '../../../shared/logger.ts';
import { loadConfig } from '../../../shared/config/load-config.ts';
import type { ProcessDeps } from '../../../workers/submissions/process-submission.ts';
import { analyzeWithTenancy } from '../../../workers/submissions/analyze-with-tenancy.ts';
import { reputationRuntime } from '../../../workers/reputation/reputation-runtime.ts';

/**
 * The worker's production dependencies — the real analysis and reputation, as runtime/start-service.ts
 * wires them — so exactly-once is checked on reports and reputation effects alike.
 */
export function workerDeps(ds: DataSource, redis: Redis, redisPrefix: string): ProcessDeps {
  const log = createLogger('silent');
  const config = loadConfig({ ...process.env, REDIS_PREFIX: redisPrefix, NODE_ENV: 'test' });
  return { ds, log, analyze: analyzeWithTenancy(ds, 60), reputation: reputationRuntime(config, ds, redis, log).context };
}
