import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { createLogger } from '../../../shared/logger.ts';
import { loadConfig } from '../../../shared/config/load-config.ts';
import type { ProcessDeps } from '../../../workers/submissions/process-submission.ts';
import { analyzeWithTenancy } from '../../../workers/submissions/analyze-with-tenancy.ts';
import { reputationRuntime } from '../../../workers/reputation/reputation-runtime.ts';
import { CommitBatcher } from '../../../workers/submissions/commit-batcher.ts';

/**
 * The worker's production dependencies — the real analysis and reputation, as runtime/start-service.ts
 * wires them, group commit included — so exactly-once is checked on reports and reputation effects alike.
 */
export function workerDeps(ds: DataSource, redis: Redis, redisPrefix: string): ProcessDeps {
  const log = createLogger('silent');
  const config = loadConfig({ ...process.env, REDIS_PREFIX: redisPrefix, NODE_ENV: 'test' });
  const reputation = reputationRuntime(config, ds, redis, log).context;
  return { ds, log, analyze: analyzeWithTenancy(ds, 60), reputation, committer: new CommitBatcher(ds, log, reputation) };
}
