import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/abuse-intake.js', import.meta.url));

/** One `abuse-intake start` process (separate api / worker processes, as in production). */
export class BenchProcess {
  readonly proc: ChildProcess;
  readonly started: Promise<void>;

  constructor(readonly name: string, env: Record<string, string>, extraNodeArgs: string[] = []) {
    this.proc = spawn(process.execPath, [...extraNodeArgs, BIN, 'start'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
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
