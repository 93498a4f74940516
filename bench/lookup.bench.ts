/**
 * `npm run bench:lookup`: GET /v1/lookup/:ip (API-key check cached, one HGET on the Redis copy)
 * against a bare Express route returning a constant JSON, in one run on loopback: requests/s, p99
 * and the ratio (target ≥ 70 %). Creates its own database and Redis prefix and removes them at the
 * end. The last line is JSON. BENCH_DURATION (s per target, default 10), BENCH_CONNECTIONS (default 50)
 * and BENCH_ROUNDS (default 5) tune it. The two targets are measured in alternating rounds and
 * summed, so a load change on a shared machine hits both alike instead of one of them.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { migrate } from '../shared/db/migrate.ts';
import { dropDatabase } from '../shared/db/ensure-database.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET = 0.7;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const dbUrl = new URL(process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
dbUrl.pathname = `/abuse_intake_bench_${runId}`;
const prefix = `bench-${runId}`;

interface Ports {
  httpPort: number;
  barePort: number;
  key: string;
  ip: string;
}

function startServer(): Promise<{ ports: Ports; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lookup-server.ts', import.meta.url))], {
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

async function get(url: string, headers: Record<string, string>, duration = DURATION, connections = CONNECTIONS) {
  const r = await autocannon({ url, method: 'GET', headers, connections, duration });
  return { requestsPerSec: Math.round(r.requests.average), p99Ms: r.latency.p99, total: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

/** Alternating rounds; requests/s over the summed time, p99 as the median of the rounds' p99. */
async function alternate(targets: { url: string; headers: Record<string, string> }[]) {
  const acc = targets.map(() => ({ total: 0, seconds: 0, non2xx: 0, errors: 0, p99s: [] as number[] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, t] of targets.entries()) {
      const r = await autocannon({ url: t.url, method: 'GET', headers: t.headers, connections: CONNECTIONS, duration: DURATION / ROUNDS });
      const a = acc[i]!;
      a.total += r.requests.total;
      a.seconds += r.duration;
      a.non2xx += r.non2xx;
      a.errors += r.errors + r.timeouts;
      a.p99s.push(r.latency.p99);
    }
  }
  return acc.map((a) => {
    const sorted = [...a.p99s].sort((x, y) => x - y);
    return { requestsPerSec: Math.round(a.total / a.seconds), p99Ms: sorted[Math.floor(sorted.length / 2)]!, total: a.total, non2xx: a.non2xx, errors: a.errors };
  });
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
  const { httpPort, barePort, key, ip } = server.ports;
  const lookupUrl = `http://127.0.0.1:${httpPort}/v1/lookup/${ip}`;
  const auth = { authorization: `Bearer ${key}` };
  const check = await fetch(lookupUrl, { headers: auth });
  const answer = (await check.json()) as { listed?: boolean };
  if (check.status !== 200 || answer.listed !== true) throw new Error(`lookup is not answering a listing: ${check.status} ${JSON.stringify(answer)}`);
  console.log(`10,000 listed IPs; ${CONNECTIONS} connections, ${DURATION} s per target in ${ROUNDS} alternating rounds`);
  // A short warm-up of both so JIT, the key cache and the connections are hot before measuring.
  await get(`http://127.0.0.1:${barePort}/bare/${ip}`, {}, 2, 10);
  await get(lookupUrl, auth, 2, 10);
  const [bare, lookup] = (await alternate([
    { url: `http://127.0.0.1:${barePort}/bare/${ip}`, headers: {} },
    { url: lookupUrl, headers: auth },
  ])) as [Awaited<ReturnType<typeof get>>, Awaited<ReturnType<typeof get>>];
  console.log(`bare express JSON:  ${bare.requestsPerSec} req/s, p99 ${bare.p99Ms} ms (${bare.total} requests, ${bare.non2xx} non-2xx, ${bare.errors} errors)`);
  console.log(`GET /v1/lookup/:ip: ${lookup.requestsPerSec} req/s, p99 ${lookup.p99Ms} ms (${lookup.total} requests, ${lookup.non2xx} non-2xx, ${lookup.errors} errors)`);
  const ratio = Math.round((lookup.requestsPerSec / bare.requestsPerSec) * 1000) / 1000;
  console.log(`lookup / bare:      ${(ratio * 100).toFixed(1)} % (target ≥ ${TARGET * 100} %)`);
  console.log(JSON.stringify({ lookup, bare, ratio, target: TARGET, meetsTarget: ratio >= TARGET }));
} finally {
  await server.stop();
  await cleanup();
}
