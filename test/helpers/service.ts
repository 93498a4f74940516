import { createApiKey } from '../../shared/auth/api-keys.ts';
import type { ApiRole } from '../../shared/db/entities/api-key.entity.ts';
import { createLogger } from '../../shared/logger.ts';
import { startService, type RunningService } from '../../runtime/start-service.ts';
import { testConfig } from './config.ts';
import type { DataSource } from 'typeorm';

export interface TestService extends RunningService {
  url: string;
}

/** Starts the real service (the roles given) on an ephemeral port against the run's database. */
export async function startTestService(overrides: Record<string, string> = {}): Promise<TestService> {
  const config = testConfig(overrides);
  const service = await startService(config, createLogger(config.LOG_LEVEL));
  return Object.assign(service, { url: `http://127.0.0.1:${service.httpPort}` });
}

/** Creates an API key with `role` and returns the bearer header value. */
export async function bearer(ds: DataSource, role: ApiRole): Promise<string> {
  return `Bearer ${(await createApiKey(ds, role, `test ${role}`)).key}`;
}
