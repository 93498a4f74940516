import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { composeArf } from '../shared/notifications/compose-arf.ts';
import { extractMessages } from '../shared/analysis/message/extract-messages.ts';
import { signedHeaders, newWebhookSecret, webhookMessageId } from '../shared/webhooks/signing.ts';
import { pinnedPost } from '../workers/webhooks/pinned-post.ts';

/**
 * bench:notify — (1) ARF notifications composed (redaction included) and handed to a local SMTP
 * sink over a pooled relay connection, per second; (2) webhook deliveries (sign + SSRF-checked
 * pinned POST) per second to a local HTTP receiver. Loopback only, bounded in time. JSON last line.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function forSeconds(work: () => Promise<void>): Promise<number> {
  const end = performance.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < end) {
      await work();
      done++;
    }
  }));
  return done / SECONDS;
}

async function arfPerSecond(): Promise<number> {
  let received = 0;
  const sink = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, onData(stream, _s, cb) { stream.resume(); stream.on('end', () => (received++, cb())); } });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const port = (sink.server.address() as { port: number }).port;
  const transport = nodemailer.createTransport({ url: `smtp://127.0.0.1:${port}`, pool: true, maxConnections: CONCURRENCY });
  const spam = extractMessages(readFileSync(new URL('../examples/outbound-contoso.eml', import.meta.url))).messages[0]!.raw;
  const rate = await forSeconds(async () => {
    const arf = composeArf({
      from: 'Abuse desk <abuse@desk.example>', to: ['noc@contoso.example'], messageId: `<${Math.random()}@desk.example>`, subject: 'Abuse report',
      date: new Date(), humanText: 'report', userAgent: 'abuse-intake/0.1', sourceIp: '203.0.113.7', reported: spam, redactAddresses: ['reporter@example.org'], attachMaxBytes: 262_144,
    });
    await transport.sendMail({ raw: arf.raw, envelope: { from: 'abuse@desk.example', to: ['noc@contoso.example'] } });
  });
  transport.close();
  await new Promise<void>((r) => sink.close(() => r()));
  if (received === 0) throw new Error('the SMTP sink received nothing');
  return rate;
}

async function webhooksPerSecond(): Promise<number> {
  let received = 0;
  const rx = createServer((req, res) => { req.resume(); req.on('end', () => (received++, res.writeHead(204).end())); });
  await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(rx.address() as { port: number }).port}/hook`;
  const secret = newWebhookSecret();
  const rate = await forSeconds(async () => {
    const body = JSON.stringify({ type: 'report.processed', timestamp: new Date().toISOString(), data: { reportId: crypto.randomUUID() } });
    const res = await pinnedPost(url, { headers: { 'content-type': 'application/json', ...signedHeaders(secret, webhookMessageId(crypto.randomUUID()), body) }, body, timeoutMs: 5000, allowPrivate: true });
    if (res.status !== 204) throw new Error(`receiver answered ${res.status}`);
  });
  rx.close();
  if (received === 0) throw new Error('the receiver got nothing');
  return rate;
}

const arf = await arfPerSecond();
const hooks = await webhooksPerSecond();
console.log(`ARF notifications to a local SMTP sink: ${arf.toFixed(0)}/s; webhook deliveries to a local receiver: ${hooks.toFixed(0)}/s (${SECONDS}s each, concurrency ${CONCURRENCY})`);
console.log(JSON.stringify({ arfPerSecond: Math.round(arf), webhookDeliveriesPerSecond: Math.round(hooks), seconds: SECONDS, concurrency: CONCURRENCY }));
