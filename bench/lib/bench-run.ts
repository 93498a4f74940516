import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { migrate } from '../../shared/db/migrate.ts';
import { dropDatabase } from '../../shared/db/ensure-database.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchRun {
  /** The benchmark's own database (created and migrated by `setUp`, dropped by `tearDown`). */
  databaseUrl: string;
  /** The benchmark's own Redis key prefix (its keys are deleted by `tearDown`). */
  redisPrefix: string;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
}

/** A database and Redis prefix of a benchmark's own, so it never touches the service's data. */
export function benchRun(name: string): BenchRun {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const url = new URL(process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/abuse_intake_bench_${name}_${runId}`;
  const databaseUrl = url.toString();
  const redisPrefix = `bench-${name}-${runId}`;
  return {
    databaseUrl,
    redisPrefix,
    setUp: async () => {
      await migrate(databaseUrl);
    },
    tearDown: async () => {
      await dropDatabase(databaseUrl).catch((e: Error) => console.error(`dropping the bench database failed: ${e.message}`));
      const redis = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}

/**
 * Starts a bench server script in a child process (so the load generator does not share its event
 * loop) and resolves with the JSON it prints on its first stdout line (its ports, keys…).
 */
export function startBenchServer<P>(script: URL, run: BenchRun): Promise<{ info: P; stop: () => Promise<void> }> {
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (see docs/reliability.md).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', fileURLToPath(script)], {
    env: {
      ...process.env, DATABASE_URL: run.databaseUrl, REDIS_URL, REDIS_PREFIX: run.redisPrefix,
      NODE_ENV: 'production', SESSION_SECRET: randomBytes(32).toString('hex'), PSEUDONYMISE_KEY: randomBytes(32).toString('hex'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      resolve({
        info: JSON.parse(line) as P,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

export interface Target {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Buffer;
}

export interface TargetResult {
  /** 2xx answers per second: a 4xx/5xx (a rate limit, an overload 503) or an error is not served work. */
  requestsPerSec: number;
  /** Median of the rounds' p99, in ms. */
  p99Ms: number;
  /** Every request answered or failed, for the record. */
  total: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
}

/**
 * Measures targets in alternating rounds (A B A B …) so a change in machine load hits both alike:
 * on a shared 2-core machine that matters more than any other source of error in the ratio.
 */
export async function alternateRounds(targets: Target[], opts: { rounds: number; seconds: number; connections: number }): Promise<TargetResult[]> {
  const run = (t: Target, duration: number, connections: number) =>
    autocannon({ url: t.url, method: t.method ?? 'GET', headers: t.headers, body: t.body, idReplacement: Boolean(t.body), connections, duration });
  for (const t of targets) await run(t, 2, 10); // warm-up: JIT, pools, caches
  const acc = targets.map(() => ({ total: 0, ok2xx: 0, seconds: 0, non2xx: 0, errors: 0, p99s: [] as number[] }));
  for (let round = 0; round < opts.rounds; round++) {
    for (const [i, t] of targets.entries()) {
      const r = await run(t, opts.seconds / opts.rounds, opts.connections);
      const a = acc[i]!;
      a.total += r.requests.total;
      a.ok2xx += r['2xx'];
      a.seconds += r.duration;
      a.non2xx += r.non2xx;
      a.errors += r.errors + r.timeouts;
      a.p99s.push(r.latency.p99);
    }
  }
  return acc.map((a) => {
    const sorted = [...a.p99s].sort((x, y) => x - y);
    return { requestsPerSec: Math.round(a.ok2xx / a.seconds), p99Ms: sorted[Math.floor(sorted.length / 2)]!, total: a.total, ok2xx: a.ok2xx, non2xx: a.non2xx, errors: a.errors };
  });
}

export function describeResult(label: string, r: TargetResult): string {
  return `${label.padEnd(20)}${r.requestsPerSec} 2xx/s, p99 ${r.p99Ms} ms (${r.total} requests: ${r.ok2xx} 2xx, ${r.non2xx} non-2xx, ${r.errors} errors)`;
}
