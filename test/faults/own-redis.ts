import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { waitForPort } from './ports.ts';

/**
 * A throw-away redis-server on its own port, with the AOF persistence production uses
 * (`appendfsync everysec`: a crash may lose the last second of writes — the sweeper's job).
 */
export class OwnRedis {
  private proc: ChildProcess | null = null;

  constructor(private readonly dir: string, readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes',
      '--appendfsync', 'everysec', '--save', '', '--daemonize', 'no', '--logfile', `${this.dir}/redis.log`,
    ], { stdio: 'ignore' });
    await waitForPort(this.port, 15_000, 'redis-server');
  }

  /** SIGKILL, not a clean shutdown: what an OOM kill or a host crash does to Redis. */
  async crash(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = once(p, 'exit');
    p.kill('SIGKILL');
    await exited;
    this.proc = null;
  }

  kill(): void {
    this.proc?.kill('SIGKILL');
  }
}
