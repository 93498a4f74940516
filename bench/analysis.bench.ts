/**
 * `npm run bench:analysis`: the full analysis core (classification, extraction, Received parsing,
 * walk, tenant attribution, with the contoso test tenancy) against bare mailparser `simpleParser`
 * over the same corpus messages, in one process, one run. simpleParser gets its lightest options
 * (no HTML/text conversion, no link detection) so the comparison does not flatter the core.
 * Prints progress lines, then the figures as JSON on the last line.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { analyzeSubmission } from '../shared/analysis/analyze.ts';
import { compileTenancy } from '../shared/tenancy/compile-tenancy.ts';
import { loadTenancyFile } from '../shared/tenancy/parse-tenancy.ts';
import { BASELINE_PARSER_OPTIONS } from './lib/parser-options.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpusDir = process.env.CORPUS_DIR ?? join(root, 'test/fixtures/corpus');
const messages = readdirSync(corpusDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.eml'))
  .sort()
  .map((f) => readFileSync(join(corpusDir, f)));
const bytes = messages.reduce((n, m) => n + m.length, 0);
const tenancy = compileTenancy(loadTenancyFile(join(root, 'test/fixtures/attribution/contoso-tenancy.yaml')));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

async function core(): Promise<number> {
  let reports = 0;
  for (const m of messages) reports += (await analyzeSubmission(m, tenancy)).reports.length;
  return reports;
}
async function mailparser(): Promise<number> {
  let parsed = 0;
  for (const m of messages) {
    await simpleParser(m, BASELINE_PARSER_OPTIONS);
    parsed++;
  }
  return parsed;
}

async function rate(name: string, run: () => Promise<number>): Promise<number> {
  await run(); // warm-up: JIT and module caches
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = (messages.length * ROUNDS) / seconds;
  process.stdout.write(`${name}: ${messages.length * ROUNDS} messages in ${seconds.toFixed(2)} s = ${perSecond.toFixed(0)} messages/s\n`);
  return perSecond;
}

process.stdout.write(`corpus: ${messages.length} messages, ${(bytes / 1024).toFixed(0)} KiB; ${ROUNDS} rounds each\n`);
// Interleaved order (core, parser, core, parser) would share GC pressure; one after the other keeps each clean.
const coreRate = await rate('analysis core', core);
const parserRate = await rate('mailparser simpleParser', mailparser);
process.stdout.write(
  `${JSON.stringify({ messages: messages.length, rounds: ROUNDS, coreMessagesPerSecond: Math.round(coreRate), simpleParserMessagesPerSecond: Math.round(parserRate), ratio: Number((coreRate / parserRate).toFixed(2)), target: 2 })}\n`,
);
