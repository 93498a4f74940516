/**
 * `npm run bench:intake`: from one run, on loopback,
 *  - the HTTP raw intake (POST /v1/intake/email, committed to Postgres before the 202) against a
 *    bare Express endpoint that reads the same 7 KB body and answers 202: requests/s, p99, ratio;
 *  - the SMTP front door with 20 parallel client connections: messages/s (250 after commit).
 * The two HTTP targets are measured in alternating rounds (see bench/lib/bench-run.ts). Creates its
 * own database and Redis prefix and removes them at the end. The last line is JSON.
 * BENCH_DURATION (s per target, default 10), BENCH_ROUNDS (default 5) and BENCH_CONNECTIONS (HTTP, default 50) tune it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { alternateRounds, benchRun, describeResult, startBenchServer, type TargetResult } from './lib/bench-run.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SMTP_CONNECTIONS = 20;

// badmime.txt.eml: a real 7,148-byte spam from the corpus. Each request gets a unique id header,
// so every submission is a distinct raw message as in production (no dedup shortcut).
const SAMPLE = readFileSync(fileURLToPath(new URL('../test/fixtures/corpus/spam/spamassassin/badmime.txt.eml', import.meta.url)));
const BODY = Buffer.concat([Buffer.from('X-Bench-Id: [<id>]\r\n'), SAMPLE]);

const run = benchRun('intake');

interface Ports {
  httpPort: number;
  smtpPort: number;
  barePort: number;
  key: string;
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

await run.setUp();
const server = await startBenchServer<Ports>(new URL('./intake-server.ts', import.meta.url), run);
try {
  const { httpPort, smtpPort, barePort, key } = server.info;
  console.log(`message: ${BODY.length} bytes; HTTP: ${CONNECTIONS} connections, ${DURATION} s per target in ${ROUNDS} alternating rounds; SMTP: ${SMTP_CONNECTIONS} connections`);
  const [bare, intake] = (await alternateRounds(
    [
      { url: `http://127.0.0.1:${barePort}/bare`, method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: BODY },
      { url: `http://127.0.0.1:${httpPort}/v1/intake/email`, method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${key}` }, body: BODY },
    ],
    { rounds: ROUNDS, seconds: DURATION, connections: CONNECTIONS },
  )) as [TargetResult, TargetResult];
  console.log(describeResult('bare express 202:', bare));
  console.log(describeResult('http raw intake:', intake));
  const ratio = Math.round((intake.requestsPerSec / bare.requestsPerSec) * 1000) / 1000;
  console.log(`intake / bare:      ${(ratio * 100).toFixed(1)} % (target ≥ 60 %)`);
  const mail = await smtp(smtpPort);
  console.log(`smtp front door:    ${mail.messagesPerSec} messages/s with ${mail.connections} connections (${mail.messages} accepted, ${mail.failed} failed)`);
  console.log(JSON.stringify({ messageBytes: BODY.length, http: { intake, bare, ratio, target: 0.6, meetsTarget: ratio >= 0.6 }, smtp: mail }));
} finally {
  await server.stop();
  await run.tearDown();
}
