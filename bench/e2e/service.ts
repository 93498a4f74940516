import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * The service as the Docker image runs it: the compiled build (`npm run build`, which `npm run
 * bench:e2e` runs first) with the image's NODE_OPTIONS — a 4 MB young-generation semi-space keeps
 * a worker's peak RSS under 300 MB with 25 MB messages (the default 16 MB cost ~40 MB per process;
 * docs/reliability.md). The TypeScript sources through tsx cost another ~45 MB (loader thread,
 * source maps kept in the heap).
 */
const ENTRY = fileURLToPath(new URL('../../dist/cli/run.js', import.meta.url));
export const SERVICE_NODE_OPTIONS = '--max-semi-space-size=4';

/** One `abuse-intake start` process (separate api / worker processes, as in production). */
export class BenchProcess {
  readonly proc: ChildProcess;
  readonly started: Promise<void>;

  constructor(readonly name: string, env: Record<string, string>, extraNodeArgs: string[] = []) {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build first`);
    this.proc = spawn(process.execPath, [...extraNodeArgs, ENTRY, 'start'], {
      env: { ...process.env, NODE_OPTIONS: SERVICE_NODE_OPTIONS, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.started = new Promise((resolve, reject) => {
      this.proc.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it started`)));
      createInterface({ input: this.proc.stdout! }).on('line', (line) => {
        if (line.includes('"msg":"abuse-intake started"')) resolve();
        else if (/"level":(40|50|60)/.test(line)) process.stderr.write(`[${name}] ${line}\n`);
      });
    });
  }

  /** Peak resident set size so far (Linux VmHWM), in MB. */
  peakRssMb(): number {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = once(this.proc, 'exit');
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(t);
  }
}
