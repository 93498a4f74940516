import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { Redis } from 'ioredis';
import { createLogger } from '../../shared/logger.ts';
import { startService } from '../../runtime/start-service.ts';
import { createOutboxQueues, type OutboxQueues } from '../../shared/queue/outbox-queues.ts';
import { TenancyCache } from '../../shared/tenancy/tenancy-cache.ts';
import type { Config } from '../../shared/config/config.schema.ts';
import { testConfig } from '../helpers/config.ts';
import { testDataSource, truncateTables } from '../helpers/db.ts';
import { bearer, type TestService } from '../helpers/service.ts';
import { startCaptureServer, type CaptureServer } from '../helpers/smtp-capture.ts';
import { importTenancy } from '../../shared/tenancy/tenancy-store.ts';
import { parseTenancy } from '../../shared/tenancy/parse-tenancy.ts';

/**
 * The demo platform with contoso in `arf` mode (default minTrust: verified — the HTTP intake key is
 * `platform`) and fabrikam in `digest` mode accepting any reporter.
 */
export const NOTIFY_TENANCY = `
platform:
  networks: ["40.107.0.0/16", "52.100.0.0/14", "2603:1000::/24"]
  hostnames: ["outlook.com", "office365.com"]
  tenantHeaders: ["X-MS-Exchange-CrossTenant-Id"]
tenants:
  - id: contoso
    name: Contoso Ltd
    externalIds: ["5f6c8a1e-2b3d-4c7e-9a10-8e2f4b6d1c37"]
    domains: ["contoso.com"]
    abuseContact: abuse@contoso.com
    notify: { mode: arf, to: ["noc@contoso.example"], minConfidence: high }
  - id: fabrikam
    name: Fabrikam Inc
    domains: ["fabrikam.com"]
    networks: ["52.101.77.0/24"]
    abuseContact: abuse@fabrikam.example
    notify: { mode: digest, minConfidence: high, minTrust: anonymous, digestEvery: 1h }
  - id: quiet
    name: Quiet Co
    domains: ["quiet.example"]
    abuseContact: abuse@quiet.example
    notify: { mode: arf, minConfidence: verified, minTrust: anonymous }
`;

export interface NotifyFixture {
  svc: TestService;
  ds: DataSource;
  smtp: CaptureServer & { refuse: boolean };
  config: Config;
  queues: OutboxQueues;
  tenancy: TenancyCache;
  intake: string;
  analyst: string;
  admin: string;
}

/** The real service (all roles) mailing through a capture relay, with the notify tenancy imported before each test. */
export function useNotifyService(overrides: Record<string, string> = {}): NotifyFixture {
  const f = {} as NotifyFixture;
  let redis: Redis;
  before(async function () {
    this.timeout(60_000);
    f.smtp = await startCaptureServer();
    const dir = mkdtempSync(join(tmpdir(), 'notify-'));
    writeFileSync(join(dir, 'tenancy.yaml'), NOTIFY_TENANCY);
    const env = { MAIL_RELAY_URL: f.smtp.url, TENANCY_FILE: join(dir, 'tenancy.yaml'), NOTIFY_RETRY_BASE: '100', NOTIFY_MAX_ATTEMPTS: '3', TENANCY_REFRESH_SECONDS: '1', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE: '100', ...overrides };
    f.config = testConfig(env);
    const svc = await startService(f.config, createLogger(f.config.LOG_LEVEL));
    f.svc = Object.assign(svc, { url: `http://127.0.0.1:${svc.httpPort}`, redisUrl: f.config.REDIS_URL, redisPrefix: f.config.REDIS_PREFIX });
    f.ds = await testDataSource();
    redis = new Redis(f.config.REDIS_URL, { maxRetriesPerRequest: null });
    f.queues = createOutboxQueues(redis, f.config);
    f.tenancy = new TenancyCache(f.ds, { refreshMs: 0 });
  });
  after(async () => {
    await f.svc?.stop();
    await f.queues?.close();
    redis?.disconnect();
    await f.ds?.destroy();
    await f.smtp?.close();
  });
  beforeEach(async () => {
    // The tenancy stays: emptying it would race the workers' tenancy caches (a report attributed
    // against an empty tenancy in the moment between truncate and import).
    const tables: { tablename: string }[] = await f.ds.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'tenancy_state', 'tenants')`,
    );
    // Not behind a lingering worker transaction: see truncateTables.
    await truncateTables(f.ds, tables.map((t) => t.tablename));
    f.smtp.mails.length = 0;
    f.smtp.refuse = false;
    // The service imported TENANCY_FILE at start; this changes nothing unless a test edited it.
    await importTenancy(f.ds, parseTenancy(NOTIFY_TENANCY), 'test');
    f.intake = await bearer(f.ds, 'intake');
    f.analyst = await bearer(f.ds, 'analyst');
    f.admin = await bearer(f.ds, 'admin');
  });
  return f;
}

/** Posts a raw message to the HTTP intake; returns the submission id. */
export async function submit(f: NotifyFixture, raw: Buffer): Promise<string> {
  const res = await fetch(`${f.svc.url}/v1/intake/email`, { method: 'POST', body: new Uint8Array(raw), headers: { authorization: f.intake, 'content-type': 'message/rfc822' } });
  if (res.status !== 202 && res.status !== 200) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export async function api<T>(f: NotifyFixture, method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${f.svc.url}${path}`, { method, headers: { authorization: key, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
