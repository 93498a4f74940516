/**
 * Bare `simpleParser` (bench:analysis's lightest options, BASELINE_PARSER_OPTIONS) over whole cycles of the load mix, warm: the denominator
 * of bench:e2e's ratio. Run by `bareParserRate` in a child process pinned to one CPU, because the
 * target is stated against "simpleParser on one core" and V8's GC threads otherwise let it use
 * ~1.2 cores (measured: cpu/wall 1.16–1.23 unpinned). Exported for the in-process (unpinned)
 * figure too. As a script: `bare-parser.ts DIR SECONDS` parses the .eml files of DIR in name
 * order and prints `{"perSec": …}`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { BASELINE_PARSER_OPTIONS } from '../lib/parser-options.ts';

/** Messages/s over whole cycles of `mix` (a partial cycle would leave the 25 MB message out). */
export async function parseRate(mix: readonly Buffer[], minSeconds: number): Promise<number> {
  // One unmeasured cycle first: the pipeline's rate is measured after a warm-up, so is the parser's
  // (a cold first cycle measured ~10% slower: JIT).
  for (const m of mix) await simpleParser(m, BASELINE_PARSER_OPTIONS);
  let n = 0;
  const t0 = Date.now();
  do {
    for (const m of mix) await simpleParser(m, BASELINE_PARSER_OPTIONS);
    n += mix.length;
  } while (Date.now() - t0 < minSeconds * 1000);
  return n / ((Date.now() - t0) / 1000);
}

/**
 * The rate on one CPU (`taskset -c 0`; null when taskset is not installed), over the mix written
 * to `dir` as numbered .eml files.
 */
export function pinnedParseRate(dir: string, minSeconds: number): Promise<number | null> {
  if (!existsSync('/usr/bin/taskset')) return Promise.resolve(null);
  const script = fileURLToPath(import.meta.url);
  const child = spawn('/usr/bin/taskset', ['-c', '0', process.execPath, '--import', 'tsx', script, dir, String(minSeconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve((JSON.parse(out.trim()) as { perSec: number }).perSec) : reject(new Error(`bare parser exited with ${code}`))));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, seconds] = process.argv.slice(2);
  const files = readdirSync(dir!).filter((f) => f.endsWith('.eml')).sort();
  const mix = files.map((f) => readFileSync(join(dir!, f)));
  process.stdout.write(`${JSON.stringify({ perSec: await parseRate(mix, Number(seconds)) })}\n`);
}
