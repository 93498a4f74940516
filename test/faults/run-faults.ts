// THE FAULT TEST (`npm run test:faults`; not a mocha file, it runs by itself): the service as separate api / smtp / worker processes on its
// own Postgres cluster and its own Redis, fed 3,000 reports at a steady rate while we SIGKILL workers,
// crash Redis and stop Postgres. Passes only if every accepted report is processed exactly once.
// Leaves the machine's own Postgres (5432) and Redis (6379) alone; cleans up on every exit path.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort, waitForPort } from './ports.ts';
import { OwnPostgres } from './own-postgres.ts';
import { OwnRedis } from './own-redis.ts';
import { ServiceProcess } from './service-procs.ts';
import { buildMessage, createSenders, type Outcome } from './traffic.ts';
import { verify } from './verify.ts';
import { faultProblems } from './verdict.ts';

const TOTAL = Number(process.env.FAULT_REPORTS ?? 3000);
const RATE = Number(process.env.FAULT_RATE ?? 50); // reports per second, steady
const WATCHDOG_MS = 285_000; // the whole test stays under 5 minutes
const DRAIN_TIMEOUT_MS = 150_000;
const BIN = fileURLToPath(new URL('../../bin/abuse-intake.js', import.meta.url));
const run = promisify(execFile);
const log = (msg: string) => process.stdout.write(`[faults +${((Date.now() - T0) / 1000).toFixed(1)}s${LOAD_T0 ? ` load +${((Date.now() - LOAD_T0) / 1000).toFixed(1)}s` : ''}] ${msg}\n`);
let LOAD_T0 = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const T0 = Date.now();

const tmp = mkdtempSync(join(tmpdir(), 'abuse-faults-'));
const pgc = new OwnPostgres(tmp, await freePort());
const redis = new OwnRedis(tmp, await freePort());
const procs: ServiceProcess[] = [];
let cleaned = false;

function cleanup(): void {
  if (cleaned) return;
  cleaned = true;
  for (const p of procs) p.kill();
  redis.kill();
  pgc.kill();
  rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));
setTimeout(() => {
  log(`watchdog: still running after ${WATCHDOG_MS / 1000}s; giving up`);
  dumpLogs();
  process.exit(1);
}, WATCHDOG_MS).unref();

function dumpLogs(): void {
  for (const p of procs) process.stdout.write(`--- ${p.name} (last lines)\n${p.tail()}\n`);
}

async function main(): Promise<number> {
  log(`temp dir ${tmp}; postgres :${pgc.port}, redis :${redis.port}`);
  pgc.init();
  pgc.start();
  await redis.start();
  const [httpPort, smtpPort] = [await freePort(), await freePort()];
  const env = {
    DATABASE_URL: pgc.url, REDIS_URL: redis.url, REDIS_PREFIX: 'faults', LOG_LEVEL: 'info', NODE_ENV: 'development',
    HOST: '127.0.0.1', PORT: String(httpPort), SMTP_PORT: String(smtpPort), SWEEP_AFTER_SECONDS: '5',
    // The load comes from one IP: lift the per-IP SMTP limits, they are not under test here.
    SMTP_MESSAGES_PER_MINUTE: '1000000', SMTP_MAX_CONNECTIONS_PER_IP: '1000',
  };
  await run(process.execPath, [BIN, 'migrate'], { env: { ...process.env, ...env } });
  const keyOut = await run(process.execPath, [BIN, 'keys', 'create', '--role', 'intake', '--label', 'fault test'], { env: { ...process.env, ...env } });
  const apiKey = keyOut.stdout.trim().split('\n').pop()!;

  const api = new ServiceProcess('api', { ...env, ROLES: 'api' }, tmp);
  const smtp = new ServiceProcess('smtp', { ...env, ROLES: 'smtp' }, tmp);
  const workers = [1, 2].map((n) => new ServiceProcess(`worker${n}`, { ...env, ROLES: 'worker' }, tmp));
  procs.push(api, smtp, ...workers);
  for (const p of procs) p.start();
  await waitForPort(httpPort, 60_000, 'the api process');
  let smtpReady = true;
  // Not a reason to stop: the run goes on over HTTP so its logs show why, but it fails (verdict.ts).
  await waitForPort(smtpPort, 60_000, 'the smtp process').catch(() => (smtpReady = false));
  if (!smtpReady) log('the smtp role did not open its port: sending over HTTP only, and this run will FAIL');
  log(`service up: api :${httpPort}${smtpReady ? `, smtp :${smtpPort}` : ''}, 2 workers`);

  const runId = randomBytes(4).toString('hex');
  const domain = `faults-${runId}.example`;
  const senders = createSenders({ httpUrl: `http://127.0.0.1:${httpPort}`, apiKey, smtpPort: smtpReady ? smtpPort : null, timeoutMs: 15_000 });
  const outcomes: Outcome[] = [];
  const outage = { from: Infinity, to: -Infinity };

  // The faults, at fixed offsets into the load.
  const loadMs = (TOTAL / RATE) * 1000;
  const faults = (async () => {
    await sleep(loadMs * 0.12);
    log('SIGKILL worker1'); await workers[0]!.crash(); await sleep(2000); workers[0]!.start(); log('worker1 restarted');
    await sleep(loadMs * 0.15);
    log('SIGKILL redis'); await redis.crash(); await sleep(1000); await redis.start(); log('redis restarted (AOF reloaded)');
    await sleep(loadMs * 0.15);
    log('stopping postgres (immediate) for 10 s'); pgc.stop('immediate'); outage.from = Date.now();
    await sleep(10_000);
    outage.to = Date.now(); pgc.start(); log('postgres started again');
    await sleep(loadMs * 0.12);
    log('SIGKILL worker2'); await workers[1]!.crash(); await sleep(2000); workers[1]!.start(); log('worker2 restarted');
  })();

  // Steady load: message i leaves at T + i/RATE, whatever happened to the earlier ones.
  const start = Date.now();
  LOAD_T0 = start;
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const due = start + (i * 1000) / RATE;
    if (due > Date.now()) await sleep(due - Date.now());
    const marker = `f${runId}-${i}`;
    const raw = buildMessage(marker, domain, i);
    const viaSmtp = senders.smtp !== null && i % 3 === 2;
    inflight.push((viaSmtp ? senders.smtp!(marker, raw) : senders.http(marker, raw)).then((o) => void outcomes.push(o)));
  }
  await Promise.all(inflight);
  await faults;
  senders.close();
  const accepted = outcomes.filter((o) => o.accepted).length;
  log(`load done: ${accepted} accepted, ${outcomes.length - accepted} refused; waiting for the queue to drain`);

  const acceptedDuringOutage = outcomes.filter((o) => o.accepted && o.startedAt >= outage.from && o.endedAt <= outage.to);
  const refusedDuringOutage = outcomes.filter((o) => !o.accepted && o.startedAt >= outage.from && o.endedAt <= outage.to);
  await waitForDrain(pgc.url, new Set(outcomes.filter((o) => o.accepted).map((o) => o.marker)), domain);
  const v = await verify(pgc.url, outcomes, domain);
  const crashed = procs.flatMap((p) => p.crashes);

  const summary = {
    accepted: v.accepted, refused: v.refused, lost: v.lost.length, duplicated: v.duplicated.length,
    acceptedDuringPostgresOutage: acceptedDuringOutage.length,
    refusedDuringPostgresOutage: refusedDuringOutage.length,
    refusedCodes: countBy(outcomes.filter((o) => !o.accepted).map((o) => `${o.channel}:${o.code}`)),
    keptWithoutAcknowledgement: v.keptUnacknowledged, stillPending: v.pending,
    channels: smtpReady ? 'http+smtp' : 'http only',
    reputation: v.reputation,
    crashesWhileRunning: crashed,
    startupFailuresRestarted: Object.fromEntries(procs.filter((p) => p.startupFailures).map((p) => [p.name, p.startupFailures])),
    refusedPer5s: timeline(outcomes.filter((o) => !o.accepted), start),
  };
  for (const p of procs) for (const t of p.startupFailureTails) log(`${p.name} exited during start-up; its last lines:\n${t}`);
  log(`accepted ${summary.accepted} / refused ${summary.refused} / lost ${summary.lost} / duplicated ${summary.duplicated}`);
  if (v.lost.length) log(`lost markers (first 10): ${v.lost.slice(0, 10).join(', ')}`);
  if (v.duplicated.length) log(`duplicated markers (first 10): ${v.duplicated.slice(0, 10).join(', ')}`);
  const problems = faultProblems({ outcomes, outage, smtpReady, verdict: v, crashed });
  if (problems.length) {
    log(`FAIL: ${problems.join('; ')}`);
    dumpLogs();
  } else log('PASS');
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return problems.length ? 1 : 0;
}

/** Waits until nothing is left to process and every accepted marker has its report (bounded). */
async function waitForDrain(url: string, accepted: Set<string>, domain: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  try {
    for (;;) {
      const { rows: [r] } = await client.query(
        `SELECT (SELECT count(*)::int FROM submissions WHERE status IN ('received','queued')) AS pending,
                (SELECT count(DISTINCT message_id)::int FROM reports WHERE message_id LIKE $1) AS reported`,
        [`%@${domain}%`],
      );
      if (r.pending === 0 && r.reported >= accepted.size) return;
      if (Date.now() > deadline) {
        log(`drain: gave up after ${DRAIN_TIMEOUT_MS / 1000}s with ${r.pending} pending`);
        return;
      }
      await sleep(1000);
    }
  } finally {
    await client.end();
  }
}

/** Refusals per 5-second slot of the load, with their codes: shows which fault caused which. */
function timeline(refused: Outcome[], start: number): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const o of refused) {
    const slot = `${Math.floor((o.startedAt - start) / 5000) * 5}s`;
    const k = `${o.channel}:${o.code}`;
    (out[slot] ??= {})[k] = (out[slot]![k] ?? 0) + 1;
  }
  return out;
}

function countBy(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  log(`error: ${(err as Error).stack ?? String(err)}`);
  dumpLogs();
} finally {
  for (const p of procs) await p.stop(5000).catch(() => undefined);
  cleanup();
}
process.exit(code);
