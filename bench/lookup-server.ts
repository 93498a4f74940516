/**
 * The server side of `npm run bench:lookup`, a child process so the load generator does not share
 * its event loop: the real service (api role) with 10,000 listed IPs in Postgres and their Redis
 * copy rebuilt at start, and a bare Express route answering a constant JSON.
 * Prints one JSON line with the ports, a platform key and a listed IP, then serves until killed.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../shared/config/load-config.ts';
import { startService } from '../runtime/start-service.ts';
import { createLogger } from '../shared/logger.ts';
import { createDataSource } from '../shared/db/data-source.ts';
import { createApiKey } from '../shared/auth/api-keys.ts';

const LISTED = 10_000;
const config = loadConfig({ ...process.env, ROLES: 'api', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', PUBLIC_URL: 'https://reputation.bench.example' });

// Seed before start: the service rebuilds the Redis copy from Postgres when it starts.
const ds = createDataSource({ url: config.DATABASE_URL, poolSize: 1 });
await ds.initialize();
const key = (await createApiKey(ds, 'platform', 'bench')).key;
await ds.query(
  `INSERT INTO reputation_subjects (kind, key, score, updated_at, reports, last_report_at)
   SELECT 'ip', host(('198.18.0.0'::inet + g)), 12, now(), 12, now() FROM generate_series(1, $1) g`,
  [LISTED],
);
await ds.query(
  `INSERT INTO listings (ip, listed_at, reasons)
   SELECT '198.18.0.0'::inet + g, now(), '["score 12 >= 5 from 6 distinct reporters"]'::jsonb FROM generate_series(1, $1) g`,
  [LISTED],
);
await ds.destroy();

const service = await startService(config, createLogger(config.LOG_LEVEL));

const CONSTANT = {
  ip: '198.18.0.1', listed: true, score: 12, reasons: ['score 12 >= 5 from 6 distinct reporters'],
  listedAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-03T14:00:00.000Z', delistUrl: 'https://reputation.bench.example/delist?ip=198.18.0.1',
  smtpResponse: '550 5.7.606 Access denied, banned sending IP [198.18.0.1]. To request removal, visit https://reputation.bench.example/delist?ip=198.18.0.1',
};
const bare = express();
bare.disable('x-powered-by');
bare.get('/bare/:ip', (_req, res) => {
  res.json(CONSTANT);
});
const bareServer = bare.listen(0, '127.0.0.1');
await new Promise((r) => bareServer.once('listening', r));

process.stdout.write(`${JSON.stringify({ httpPort: service.httpPort, barePort: (bareServer.address() as AddressInfo).port, key, ip: '198.18.0.1' })}\n`);

process.once('SIGTERM', async () => {
  bareServer.close();
  await service.stop();
  process.exit(0);
});
