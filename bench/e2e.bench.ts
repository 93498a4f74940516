/**
 * `npm run bench:e2e`: the whole pipeline, HTTP 202 → queue → worker → `processed`, with the service as
 * 1 api + 2 worker processes on its own database and Redis prefix (removed at the end). From one run:
 *  1. bare mailparser `simpleParser` messages/s with bench:analysis's options (bench/lib/parser-options.ts)
 *     on one core (a child pinned with taskset; also unpinned in this process, for the record), warm, over
 *     the load mix without and with its ~25 MB forward (one in BIG_EVERY);
 *  2. the sustained processed rate, once per mix: the load keeps a bounded backlog (≤ BACKLOG) so intake
 *     never runs away from the workers, and counts the submissions that reach `processed` after a
 *     warm-up (discarded and failed ones are not reports, so they do not count); the ratio per mix;
 *  3. latency 202 → `processed` at half the rate with the large message, open loop (p50/p99;
 *     processed_at read from Postgres after the run, so no polling skews it), once the webhook and
 *     notification backlog of phase 2 has drained (the steady state, not phase 2's aftermath);
 *  4. peak RSS (VmHWM) per process, with the ~25 MB forwards mixed in.
 * With everything on, as in production: campaigns, the test tenancy with contoso in `arf` mode (one in
 * eight mix messages is contoso's outbound spam: an ARF mail to a local SMTP sink each) and one webhook
 * subscription to every event, delivered to a local receiver (bench/e2e/sinks.ts). BENCH_LOOP=off
 * leaves notifications and the webhook out (the tenancy stays, campaigns stay on).
 * BENCH_DURATION (s per phase, default 20), BENCH_SENDERS (concurrent clients in phase 2, default 64).
 * `maxRatePhases.*.intake.backlogWaits` > 0 shows the workers, not the clients, set the max rate. The last line is JSON. */
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDataSource } from '../shared/db/data-source.ts';
import { createApiKey } from '../shared/auth/api-keys.ts';
import { buildMix, unique, type MixMessage } from './e2e/messages.ts';
import { parseRate, pinnedParseRate } from './e2e/bare-parser.ts';
import { BenchProcess } from './e2e/service.ts';
import { benchRun, REDIS_URL } from './lib/bench-run.ts';
import { machineCpuSeconds, postgresCpuSeconds, processCpuSeconds } from './e2e/cpu.ts';
import { startLoopSinks } from './e2e/sinks.ts';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { WEBHOOK_EVENTS } from '../shared/webhooks/events.ts';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 20);
const WARMUP_S = 5;
const BIG_EVERY = Number(process.env.BENCH_BIG_EVERY ?? 400);
const BACKLOG = 200;
// 64, not 16: with 16 clients the ~100 ms 202 round trip capped the rate and the backlog bound
// never engaged (backlogWaits 0), so the bench measured client concurrency, not the pipeline.
const SENDERS = Number(process.env.BENCH_SENDERS ?? 64);
const PORT = Number(process.env.BENCH_PORT ?? 3917);
// BENCH_LOOP=off: no tenant notifications and no webhook subscription (campaigns stay on), to see what the loop costs.
const LOOP = process.env.BENCH_LOOP !== 'off';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (m: string) => process.stderr.write(`[bench:e2e] ${m}\n`);

const run = benchRun('e2e');
const dbUrl = run.databaseUrl;
const prefix = run.redisPrefix;

interface Sent {
  id: string;
  acceptedAt: number;
}

// node:http with a keep-alive agent, not fetch(): the load generator shares the two cores with the
// pipeline it measures, and fetch cost it ~3× the CPU per request (undici, plus a copy of each body).
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

let failedSends = 0;

/** Sends one report; resolves null (and counts it) for anything but a 202 — never rejects, never throws. */
function send(url: string, key: string, raw: Buffer): Promise<Sent | null> {
  return new Promise((resolve) => {
    const fail = () => {
      failedSends++;
      resolve(null);
    };
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'message/rfc822', 'content-length': raw.length, authorization: key } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => {
        let id: unknown;
        try {
          id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown }).id;
        } catch {
          id = undefined;
        }
        if (res.statusCode === 202 && typeof id === 'string') resolve({ id, acceptedAt: Date.now() });
        else fail();
      });
    });
    req.on('error', fail);
    req.end(raw);
  });
}
async function finishedCount(db: pg.Client): Promise<number> {
  const { rows: [r] } = await db.query(`SELECT count(*)::int AS n FROM submissions WHERE status NOT IN ('received','queued')`);
  return r.n;
}

/** Submissions that produced reports: the rate counts these only, not discarded or failed ones. */
async function processedCount(db: pg.Client): Promise<number> {
  const { rows: [r] } = await db.query(`SELECT count(*)::int AS n FROM submissions WHERE status = 'processed'`);
  return r.n;
}

/** bare simpleParser on one CPU (the ratio's denominator; null without taskset) and unpinned here, over `mix`. */
async function baseline(mix: MixMessage[]): Promise<{ pinned: number | null; unpinned: number; rate: number }> {
  const mixDir = mkdtempSync(join(tmpdir(), 'abuse-intake-e2e-mix-'));
  mix.forEach((m, i) => writeFileSync(join(mixDir, `${String(i).padStart(4, '0')}.eml`), m.raw));
  const pinned = await pinnedParseRate(mixDir, 5).finally(() => rmSync(mixDir, { recursive: true, force: true }));
  const unpinned = await parseRate(mix.map((m) => m.raw), 5);
  return { pinned, unpinned, rate: pinned ?? unpinned };
}

interface MaxRate {
  /** Processed submissions per second after the warm-up. */
  processedPerSec: number;
  intake: { requests: number; p50Ms: number; p99Ms: number; backlogWaits: number };
  cpu: ReturnType<typeof cpuWindow>;
  walKbPerReport: number;
  /** Statuses reached by what this phase sent. */
  statuses: Record<string, number>;
}

async function main(): Promise<void> {
  await run.setUp();
  const ds = createDataSource({ url: dbUrl.toString(), poolSize: 1 });
  await ds.initialize();
  const key = `Bearer ${(await createApiKey(ds, 'intake', 'e2e bench')).key}`;
  const adminKey = `Bearer ${(await createApiKey(ds, 'admin', 'e2e bench webhooks')).key}`;
  await ds.destroy();
  const sinks = await startLoopSinks();
  // The test tenancy, contoso notified by ARF for every report at the default thresholds.
  const tenancy = parseYaml(readFileSync(new URL('../test/fixtures/attribution/contoso-tenancy.yaml', import.meta.url), 'utf8')) as { tenants: { id: string; notify?: unknown }[] };
  for (const t of tenancy.tenants) if (t.id === 'contoso' && LOOP) t.notify = { mode: 'arf', to: ['abuse@contoso.com'] };
  const confDir = mkdtempSync(join(tmpdir(), 'abuse-intake-e2e-conf-'));
  const tenancyFile = join(confDir, 'tenancy.yaml');
  writeFileSync(tenancyFile, stringifyYaml(tenancy));
  const db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();

  // Two mixes: the same messages with and without the ~25 MB forward, which alone takes a large share of
  // the baseline's time (it parses the whole attachment; the pipeline skips attachment bodies).
  const mix = buildMix(BIG_EVERY);
  const small = mix.filter((m) => m.kind !== 'big');
  say(`mix: ${mix.length} messages per cycle (${mix.length - small.length} of ~25 MB); measuring bare simpleParser (bench:analysis options)`);
  const bareSmall = await baseline(small);
  const bareBig = await baseline(mix);
  for (const [name, b] of [['without the large message', bareSmall], ['with it', bareBig]] as const) {
    say(`bare simpleParser ${name}: ${b.pinned === null ? 'taskset missing, unpinned' : `${b.pinned.toFixed(1)}/s on one CPU`}; ${b.unpinned.toFixed(1)}/s unpinned`);
  }

  const env = {
    DATABASE_URL: dbUrl.toString(), REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'info', NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(PORT),
    TENANCY_FILE: tenancyFile, MAIL_RELAY_URL: sinks.relayUrl, PUBLIC_URL: `http://127.0.0.1:${PORT}`,
    // Every attributed report is mailed (the daily cap would turn the rest into one held count), and the receiver is on loopback.
    NOTIFY_MAX_PER_DAY: '100000000', WEBHOOK_ALLOW_PRIVATE: 'true',
  };
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const procs = [
    new BenchProcess('api', { ...env, ROLES: 'api' }, profile),
    new BenchProcess('worker1', { ...env, ROLES: 'worker' }, profile),
    new BenchProcess('worker2', { ...env, ROLES: 'worker' }, profile),
  ];
  try {
    await Promise.all(procs.map((p) => p.started));
    const events = Object.keys(WEBHOOK_EVENTS).filter((e) => e !== 'webhook.test');
    if (LOOP) {
      const hook = await fetch(`http://127.0.0.1:${PORT}/v1/webhooks`, {
        method: 'POST', headers: { authorization: adminKey, 'content-type': 'application/json' },
        body: JSON.stringify({ url: sinks.webhookUrl, events, description: 'bench:e2e receiver' }),
      });
      if (hook.status !== 201) throw new Error(`webhook subscription failed: ${hook.status} ${await hook.text()}`);
    }
    const url = `http://127.0.0.1:${PORT}/v1/intake/email`;
    let seq = 0;
    const nextOf = (m: MixMessage[]) => () => unique(m[seq % m.length]!.raw, seq++);

    // Phase 2, twice: as fast as the pipeline finishes, with a bounded backlog.
    const cpuSnapshot = () => ({
      procs: Object.fromEntries(procs.map((p) => [p.name, processCpuSeconds(p.proc.pid!)])),
      bench: process.cpuUsage(),
      postgres: postgresCpuSeconds(),
      machine: machineCpuSeconds(),
    });
    const maxRate = async (name: string, next: () => Buffer): Promise<MaxRate> => {
      say(`max-rate phase ${name}: ${DURATION_S}s`);
      const statusesBefore = await statusCounts(db);
      let sent = 0;
      let finished = await finishedCount(db);
      const base = finished;
      // WAL written by the whole cluster over the phase (pg_stat_wal, PG ≥ 14): what one report costs in log volume.
      const walBytes = async () => Number((await db.query(`SELECT wal_bytes::text AS b FROM pg_stat_wal`)).rows[0].b);
      const walStart = await walBytes();
      const stopAt = Date.now() + DURATION_S * 1000;
      let processed = await processedCount(db);
      const poller = (async () => {
        while (Date.now() < stopAt) {
          [finished, processed] = await Promise.all([finishedCount(db), processedCount(db)]);
          await sleep(100);
        }
      })();
      let windowStart: { t: number; processed: number; cpu: ReturnType<typeof cpuSnapshot> } | null = null;
      // Which side holds the rate: senders waiting on a full backlog (the workers) or on the 202 (intake).
      let backlogWaits = 0;
      const intakeMs: number[] = [];
      await Promise.all(Array.from({ length: SENDERS }, async () => {
        while (Date.now() < stopAt) {
          if (sent - (finished - base) >= BACKLOG) {
            backlogWaits++;
            await sleep(20);
            continue;
          }
          sent++;
          const t = Date.now();
          if (!(await send(url, key, next()))) sent--;
          intakeMs.push(Date.now() - t);
          if (!windowStart && Date.now() > stopAt - (DURATION_S - WARMUP_S) * 1000) {
            windowStart = { t: Date.now(), processed, cpu: cpuSnapshot() };
          }
        }
      }));
      await poller;
      const endProcessed = await processedCount(db);
      const cpuEnd = cpuSnapshot();
      const w = windowStart as { t: number; processed: number; cpu: ReturnType<typeof cpuSnapshot> } | null;
      const rate = w ? (endProcessed - w.processed) / ((Date.now() - w.t) / 1000) : NaN;
      const endFinished = await finishedCount(db);
      const walKbPerReport = round((await walBytes() - walStart) / 1024 / Math.max(1, endFinished - base));
      intakeMs.sort((a, b) => a - b);
      const intake = { requests: intakeMs.length, p50Ms: intakeMs[Math.floor(intakeMs.length / 2)] ?? NaN, p99Ms: intakeMs[Math.floor(intakeMs.length * 0.99)] ?? NaN, backlogWaits };
      say(`max rate ${name} ≈ ${rate.toFixed(1)} processed/s (intake ${JSON.stringify(intake)}); draining`);
      while ((await finishedCount(db)) < base + sent) await sleep(200);
      const after = await statusCounts(db);
      const statuses = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (statusesBefore[k] ?? 0)]).filter(([, v]) => Number(v) > 0));
      return { processedPerSec: round(rate), intake, cpu: cpuWindow(w?.cpu ?? null, cpuEnd, w ? endProcessed - w.processed : 0), walKbPerReport, statuses };
    };
    const withoutBig = await maxRate('without the large message', nextOf(small));
    const withBig = await maxRate('with it', nextOf(mix));
    const next = nextOf(mix);

    // The max-rate phases leave webhook deliveries and notifications queued (they run off the report
    // path, at their own pace): let them drain first, so phase 3 measures the steady state at half rate.
    const drainStart = Date.now();
    while (Date.now() - drainStart < 180_000) {
      const { rows: [q] } = await db.query(`SELECT (SELECT count(*) FROM webhook_deliveries WHERE status = 'queued')::int + (SELECT count(*) FROM notifications WHERE status = 'queued')::int AS n`);
      if (q.n === 0) break;
      await sleep(500);
    }
    const outboxDrainSeconds = round((Date.now() - drainStart) / 1000);
    say(`outbox drained in ${outboxDrainSeconds}s`);

    // Phase 3: open loop at half the max rate (with the large message); latency from the 202 to processed_at.
    const rate = Math.max(1, withBig.processedPerSec / 2);
    say(`latency phase: ${rate.toFixed(1)}/s for ${DURATION_S}s`);
    const accepted: Sent[] = [];
    const t0 = Date.now();
    const total = Math.floor(rate * DURATION_S);
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      inflight.push(send(url, key, next()).then((s) => void (s && accepted.push(s))));
    }
    await Promise.all(inflight);
    const ids = accepted.map((s) => s.id);
    for (;;) {
      const { rows: [r] } = await db.query(`SELECT count(*)::int AS n FROM submissions WHERE id = ANY($1::uuid[]) AND processed_at IS NOT NULL`, [ids]);
      if (r.n >= ids.length) break;
      await sleep(200);
    }
    // Latency of the reports processed (a discarded or failed submission is not a report).
    const { rows } = await db.query(`SELECT id, (extract(epoch FROM processed_at) * 1000)::float8 AS at FROM submissions WHERE id = ANY($1::uuid[]) AND status = 'processed'`, [ids]);
    const doneAt = new Map(rows.map((r: { id: string; at: number }) => [r.id, r.at]));
    const lat = accepted.filter((s) => doneAt.has(s.id)).map((s) => doneAt.get(s.id)! - s.acceptedAt).sort((a, b) => a - b);
    const pct = (p: number) => Math.max(0, Math.round(lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!));

    const rss = Object.fromEntries(procs.map((p) => [p.name, p.peakRssMb()]));
    const ratioWithout = withoutBig.processedPerSec / bareSmall.rate;
    const ratioWith = withBig.processedPerSec / bareBig.rate;
    const result = {
      // Processed reports/s (discarded and failed submissions not counted) against bare simpleParser with
      // bench:analysis's options over the same messages, with and without the ~25 MB forward.
      ratio: { withoutLargeMessage: round(ratioWithout, 3), withLargeMessage: round(ratioWith, 3) },
      processedPerSec: { withoutLargeMessage: withoutBig.processedPerSec, withLargeMessage: withBig.processedPerSec },
      simpleParserPerSec: {
        withoutLargeMessage: { oneCpu: nullableRound(bareSmall.pinned), unpinned: round(bareSmall.unpinned) },
        withLargeMessage: { oneCpu: nullableRound(bareBig.pinned), unpinned: round(bareBig.unpinned) },
      },
      maxRatePhases: { withoutLargeMessage: withoutBig, withLargeMessage: withBig },
      failedSends,
      latencyAtHalfRate: { ratePerSec: round(rate), reports: lat.length, p50Ms: pct(50), p99Ms: pct(99) },
      peakRssMb: rss,
      mix: { perCycle: mix.length, bigEvery: BIG_EVERY, bigBytes: mix.find((m) => m.kind === 'big')!.raw.length },
      statuses: await statusCounts(db),
      // What the notification loop did meanwhile (its workers run in the same worker processes).
      notifications: {
        byStatus: await countBy(db, `SELECT status AS k, count(*)::int AS n FROM notifications GROUP BY 1`),
        mailsAtSink: sinks.mails(),
        webhookEventsSubscribed: LOOP ? events.length : 0,
        webhookDeliveriesByStatus: await countBy(db, `SELECT status AS k, count(*)::int AS n FROM webhook_deliveries GROUP BY 1`),
        webhookPostsAtReceiver: sinks.deliveries(),
        /** Seconds the backlog the max-rate phases left took to drain before phase 3 (180 s at most). */
        outboxDrainSeconds,
      },
      targets: {
        ratioAtLeast50pct: ratioWith >= 0.5 && ratioWithout >= 0.5,
        p99AtMost1s: pct(99) <= 1000,
        workerRssAtMost300Mb: (rss.worker1 ?? Infinity) <= 300 && (rss.worker2 ?? Infinity) <= 300,
      },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const p of procs) await p.stop();
    await sinks.close();
    rmSync(confDir, { recursive: true, force: true });
    await db.end();
    await run.tearDown();
  }
}

async function countBy(db: pg.Client, sql: string): Promise<Record<string, number>> {
  return Object.fromEntries((await db.query(sql)).rows.map((r: { k: string; n: number }) => [r.k, r.n]));
}

async function statusCounts(db: pg.Client): Promise<Record<string, number>> {
  return Object.fromEntries((await db.query(`SELECT status, count(*)::int AS n FROM submissions GROUP BY 1`)).rows.map((r: { status: string; n: number }) => [r.status, r.n]));
}

function nullableRound(n: number | null): number | null {
  return n === null ? null : round(n);
}

type CpuSnapshot = { procs: Record<string, number>; bench: NodeJS.CpuUsage; postgres: number; machine: { busy: number; total: number } };

/** CPU ms per finished report: each service process, Postgres, this process, the rest (Redis, other work on the machine); and how busy the machine was. */
function cpuWindow(a: CpuSnapshot | null, b: CpuSnapshot, finished: number) {
  if (!a || finished <= 0) return null;
  const perReport = (s: number) => round((s * 1000) / finished, 2);
  const procs = Object.fromEntries(Object.keys(b.procs).map((k) => [k, perReport(b.procs[k]! - a.procs[k]!)]));
  const benchS = (b.bench.user + b.bench.system - a.bench.user - a.bench.system) / 1e6;
  const busy = b.machine.busy - a.machine.busy;
  const pgS = b.postgres - a.postgres;
  const ours = Object.keys(b.procs).reduce((s, k) => s + b.procs[k]! - a.procs[k]!, 0) + benchS + pgS;
  return {
    msPerReport: { ...procs, postgres: perReport(pgS), loadGenerator: perReport(benchS), restOfMachine: perReport(busy - ours) },
    machineBusyPct: round((100 * busy) / (b.machine.total - a.machine.total)),
  };
}

function round(n: number, digits = 1): number {
  return Number(n.toFixed(digits));
}


await main();
