/**
 * `npm run bench:intake`: from one run, on loopback,
 *  - the HTTP raw intake (POST /v1/intake/email, committed to Postgres before the 202) against a
 *    bare Express endpoint that reads the same 7 KB body and answers 202: requests/s, p99, ratio;
 *  - the SMTP front door with 20 parallel client connections: messages/s (250 after commit).
 * Creates its own database and Redis prefix and removes them at the end. The last line is JSON.
 * BENCH_DURATION (s, default 10) and BENCH_CONNECTIONS (HTTP, default 50) tune it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import nodemailer from 'nodemailer';
import { Redis } from 'ioredis';
import { migrate } from '../shared/db/migrate.ts';
import { dropDatabase } from '../shared/db/ensure-database.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SMTP_CONNECTIONS = 20;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// badmime.txt.eml: a real 7,148-byte spam from the corpus. Each request gets a unique id header,
// so every submission is a distinct raw message as in production (no dedup shortcut).
const SAMPLE = readFileSync(fileURLToPath(new URL('../test/fixtures/corpus/spam/spamassassin/badmime.txt.eml', import.meta.url)));
const BODY = Buffer.concat([Buffer.from('X-Bench-Id: [<id>]\r\n'), SAMPLE]);

const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const dbUrl = new URL(process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
dbUrl.pathname = `/abuse_intake_bench_${runId}`;
const prefix = `bench-${runId}`;

interface Ports {
  httpPort: number;
  smtpPort: number;
  barePort: number;
  key: string;
}

function startServer(): Promise<{ ports: Ports; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./intake-server.ts', import.meta.url))], {
    env: { ...process.env, DATABASE_URL: dbUrl.toString(), REDIS_URL, REDIS_PREFIX: prefix, NODE_ENV: 'production', SESSION_SECRET: randomBytes(32).toString('hex') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      resolve({
        ports: JSON.parse(line) as Ports,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

async function http(url: string, headers: Record<string, string>) {
  const r = await autocannon({ url, method: 'POST', headers: { 'content-type': 'message/rfc822', ...headers }, body: BODY, idReplacement: true, connections: CONNECTIONS, duration: DURATION });
  return { requestsPerSec: Math.round(r.requests.average), p99Ms: r.latency.p99, total: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

async function smtp(port: number) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: SMTP_CONNECTIONS, maxMessages: Infinity });
  const deadline = Date.now() + DURATION * 1000;
  let sent = 0;
  let failed = 0;
  const started = Date.now();
  const loop = async () => {
    while (Date.now() < deadline) {
      const raw = Buffer.concat([Buffer.from(`X-Bench-Id: ${randomBytes(8).toString('hex')}\r\n`), SAMPLE]);
      try {
        await transport.sendMail({ envelope: { from: 'bench@example.org', to: ['spam@reports.localhost'] }, raw });
        sent++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: SMTP_CONNECTIONS }, loop));
  const elapsed = (Date.now() - started) / 1000;
  transport.close();
  return { connections: SMTP_CONNECTIONS, messagesPerSec: Math.round(sent / elapsed), messages: sent, failed };
}

async function cleanup(): Promise<void> {
  await dropDatabase(dbUrl.toString()).catch((e: Error) => console.error(`dropping the bench database failed: ${e.message}`));
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

await migrate(dbUrl.toString());
const server = await startServer();
try {
  const { httpPort, smtpPort, barePort, key } = server.ports;
  console.log(`message: ${BODY.length} bytes; HTTP: ${CONNECTIONS} connections, ${DURATION} s per target; SMTP: ${SMTP_CONNECTIONS} connections`);
  // A short warm-up of both so JIT and the connection pools are hot before measuring.
  await autocannon({ url: `http://127.0.0.1:${barePort}/bare`, method: 'POST', body: BODY, connections: 10, duration: 2 });
  await autocannon({ url: `http://127.0.0.1:${httpPort}/v1/intake/email`, method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${key}` }, body: BODY, idReplacement: true, connections: 10, duration: 2 });
  const bare = await http(`http://127.0.0.1:${barePort}/bare`, {});
  console.log(`bare express 202:   ${bare.requestsPerSec} req/s, p99 ${bare.p99Ms} ms (${bare.total} requests, ${bare.non2xx} non-2xx, ${bare.errors} errors)`);
  const intake = await http(`http://127.0.0.1:${httpPort}/v1/intake/email`, { authorization: `Bearer ${key}` });
  console.log(`http raw intake:    ${intake.requestsPerSec} req/s, p99 ${intake.p99Ms} ms (${intake.total} requests, ${intake.non2xx} non-2xx, ${intake.errors} errors)`);
  const ratio = Math.round((intake.requestsPerSec / bare.requestsPerSec) * 1000) / 1000;
  console.log(`intake / bare:      ${(ratio * 100).toFixed(1)} % (target ≥ 60 %)`);
  const mail = await smtp(smtpPort);
  console.log(`smtp front door:    ${mail.messagesPerSec} messages/s with ${mail.connections} connections (${mail.messages} accepted, ${mail.failed} failed)`);
  console.log(JSON.stringify({ messageBytes: BODY.length, http: { intake, bare, ratio, target: 0.6, meetsTarget: ratio >= 0.6 }, smtp: mail }));
} finally {
  await server.stop();
  await cleanup();
}
