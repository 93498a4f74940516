/**
 * `npm run bench:lookup`: GET /v1/lookup/:ip (API-key check cached, one HGET on the Redis copy)
 * against a bare Express route returning a constant JSON, in one run on loopback: requests/s, p99
 * and the ratio (target ≥ 70 %). Creates its own database and Redis prefix and removes them at the
 * end. The last line is JSON. BENCH_DURATION (s per target, default 10), BENCH_CONNECTIONS (default 50)
 * and BENCH_ROUNDS (default 5) tune it. The two targets are measured in alternating rounds and
 * summed, so a load change on a shared machine hits both alike instead of one of them.
 */
import { alternateRounds, benchRun, describeResult, startBenchServer, type TargetResult } from './lib/bench-run.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET = 0.7;

const run = benchRun('lookup');

interface Ports {
  httpPort: number;
  barePort: number;
  key: string;
  ip: string;
}

await run.setUp();
const server = await startBenchServer<Ports>(new URL('./lookup-server.ts', import.meta.url), run);
try {
  const { httpPort, barePort, key, ip } = server.info;
  const lookupUrl = `http://127.0.0.1:${httpPort}/v1/lookup/${ip}`;
  const auth = { authorization: `Bearer ${key}` };
  const check = await fetch(lookupUrl, { headers: auth });
  const answer = (await check.json()) as { listed?: boolean };
  if (check.status !== 200 || answer.listed !== true) throw new Error(`lookup is not answering a listing: ${check.status} ${JSON.stringify(answer)}`);
  console.log(`10,000 listed IPs; ${CONNECTIONS} connections, ${DURATION} s per target in ${ROUNDS} alternating rounds`);
  const [bare, lookup] = (await alternateRounds(
    [{ url: `http://127.0.0.1:${barePort}/bare/${ip}` }, { url: lookupUrl, headers: auth }],
    { rounds: ROUNDS, seconds: DURATION, connections: CONNECTIONS },
  )) as [TargetResult, TargetResult];
  console.log(describeResult('bare express JSON:', bare));
  console.log(describeResult('GET /v1/lookup/:ip:', lookup));
  const ratio = Math.round((lookup.requestsPerSec / bare.requestsPerSec) * 1000) / 1000;
  console.log(`lookup / bare:      ${(ratio * 100).toFixed(1)} % (target ≥ ${TARGET * 100} %)`);
  console.log(JSON.stringify({ lookup, bare, ratio, target: TARGET, meetsTarget: ratio >= TARGET }));
} finally {
  await server.stop();
  await run.tearDown();
}
