/**
 * The server side of `npm run bench:intake`, run as a child process so the load generator does
 * not share its event loop: the real service (api + smtp roles, no worker: we measure intake)
 * and a bare Express endpoint that reads the same body the same way and answers 202.
 * Prints one JSON line with the ports and an intake key, then serves until killed.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../shared/config/load-config.ts';
import { startService } from '../runtime/start-service.ts';
import { createLogger } from '../shared/logger.ts';
import { createDataSource } from '../shared/db/data-source.ts';
import { createApiKey } from '../shared/auth/api-keys.ts';
import { readLimitedBody } from '../api/intake/read-limited-body.ts';

const config = loadConfig({
  ...process.env,
  ROLES: 'api,smtp',
  HOST: '127.0.0.1',
  PORT: '0',
  SMTP_PORT: '0',
  LOG_LEVEL: 'warn',
  // The benchmark is the only client: lift the abuse limits and the high-water mark.
  INTAKE_HIGH_WATER: '100000000',
  SMTP_MAX_CONNECTIONS_PER_IP: '1000',
  SMTP_MESSAGES_PER_MINUTE: '100000000',
  SMTP_HOSTNAME: 'mx.bench.example',
});
const service = await startService(config, createLogger(config.LOG_LEVEL));

const ds = createDataSource({ url: config.DATABASE_URL, poolSize: 1 });
await ds.initialize();
const key = (await createApiKey(ds, 'intake', 'bench')).key;
await ds.destroy();

const bare = express();
bare.disable('x-powered-by');
bare.post('/bare', async (req, res) => {
  const raw = await readLimitedBody(req, config.MAX_MESSAGE_BYTES);
  res.status(202).location(`/v1/submissions/${randomUUID()}`).json({ id: randomUUID(), status: 'queued', duplicate: false, bytes: raw.length });
});
const bareServer = bare.listen(0, '127.0.0.1');
await new Promise((r) => bareServer.once('listening', r));

process.stdout.write(`${JSON.stringify({ httpPort: service.httpPort, smtpPort: service.smtpPort, barePort: (bareServer.address() as AddressInfo).port, key })}\n`);

process.once('SIGTERM', async () => {
  bareServer.close();
  await service.stop();
  process.exit(0);
});
