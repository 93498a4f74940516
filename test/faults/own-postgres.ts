import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A throw-away PostgreSQL cluster in a temp dir on its own port — never the machine's own (5432).
 * Postgres refuses to run as root, so when we are root its commands run as the `postgres` OS user.
 */
export class OwnPostgres {
  private readonly bin: string;
  private readonly dataDir: string;

  constructor(private readonly baseDir: string, readonly port: number) {
    const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    if (!versions.length) throw new Error('no PostgreSQL under /usr/lib/postgresql/*/bin');
    this.bin = `/usr/lib/postgresql/${versions[0]}/bin`;
    this.dataDir = join(baseDir, 'pgdata');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/abuse_intake_faults`;
  }

  private run(tool: string, args: string[], timeoutMs = 60_000): string {
    const asRoot = process.getuid?.() === 0;
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(this.bin, tool), ...args]] : [join(this.bin, tool), args];
    return execFileSync(cmd, argv, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  init(): void {
    mkdirSync(this.dataDir, { recursive: true });
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(this.baseDir, uid, gid);
      chownSync(this.dataDir, uid, gid);
    }
    // --no-sync only speeds up initdb itself; the server runs with fsync on, as in production.
    this.run('initdb', ['-D', this.dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  }

  start(): void {
    const opts = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.baseDir} -c max_connections=200`;
    this.run('pg_ctl', ['-D', this.dataDir, '-o', opts, '-l', join(this.baseDir, 'postgres.log'), '-w', '-t', '30', 'start']);
  }

  /** `immediate`: like a crash — committed work survives only through the WAL, which is the point. */
  stop(mode: 'immediate' | 'fast' = 'immediate'): void {
    this.run('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
  }

  /** Best effort, for cleanup: never throws. */
  kill(): void {
    spawnSync(process.getuid?.() === 0 ? 'runuser' : join(this.bin, 'pg_ctl'),
      process.getuid?.() === 0 ? ['-u', 'postgres', '--', join(this.bin, 'pg_ctl'), '-D', this.dataDir, '-m', 'immediate', 'stop'] : ['-D', this.dataDir, '-m', 'immediate', 'stop'],
      { stdio: 'ignore', timeout: 30_000 });
  }
}
