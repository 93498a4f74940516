import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/abuse-intake.js', import.meta.url));

/**
 * One supervised `abuse-intake start` process with its own roles and environment; logs go to a file.
 * Like systemd or Kubernetes, the supervisor restarts a process that exits by itself. Exiting at
 * start-up (Postgres is down: fail fast) is expected behaviour; exiting after "abuse-intake started"
 * is a crash the test reports.
 */
export class ServiceProcess {
  private proc: ChildProcess | null = null;
  private starts = 0;
  private expectingExit = false;
  private ready = false;
  /** Exits before the process was up (e.g. it started while Postgres was stopped). */
  startupFailures = 0;
  /** The last output lines before each of those exits, to tell a known cause from a bug. */
  startupFailureTails: string[] = [];
  /** Exits of a running process that we did not cause. */
  crashes: string[] = [];

  constructor(readonly name: string, private readonly env: Record<string, string>, private readonly logDir: string) {}

  get logFile(): string {
    return join(this.logDir, `${this.name}.log`);
  }

  start(): void {
    const out = createWriteStream(this.logFile, { flags: 'a' });
    out.write(`--- start #${++this.starts} at ${new Date().toISOString()}\n`);
    this.expectingExit = false;
    this.ready = false;
    const p = spawn(process.execPath, [BIN, 'start'], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = p;
    // One log file for both streams, closed by us once the process and its pipes are done.
    p.stderr!.pipe(out, { end: false });
    createInterface({ input: p.stdout! }).on('line', (line) => {
      if (!this.ready && line.includes('"msg":"abuse-intake started"')) this.ready = true;
      out.write(`${line}\n`);
    });
    // 'close', not 'exit': by then both pipes are drained, so the log holds the process's last words.
    p.once('close', (code, signal) => {
      out.end();
      if (this.expectingExit || this.proc !== p) return;
      if (this.ready) this.crashes.push(`${this.name} exited (${signal ?? code}) while running`);
      else {
        this.startupFailures++;
        out.once('finish', () => this.startupFailureTails.push(this.tail(4)));
      }
      setTimeout(() => {
        if (!this.expectingExit && this.proc === p) this.start();
      }, 1000).unref();
    });
  }

  /** SIGKILL: no drain, no ack — jobs it held stay active until BullMQ finds them stalled. */
  async crash(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM, then SIGKILL if it does not drain in time. */
  async stop(timeoutMs = 10_000): Promise<void> {
    const timer = setTimeout(() => this.proc?.kill('SIGKILL'), timeoutMs);
    await this.signal('SIGTERM');
    clearTimeout(timer);
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    this.expectingExit = true;
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = once(p, 'exit');
    p.kill(sig);
    await exited;
  }

  kill(): void {
    this.expectingExit = true;
    if (this.proc && this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }

  tail(lines = 15): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
