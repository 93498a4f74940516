import { AppError, isAppError } from '../shared/errors/app-error.ts';

export type Command = (args: string[]) => Promise<number>;

/**
 * Every CLI command; documented in README.md ("CLI"). Loaded on demand: `analyze` should not pay
 * for importing the server, the ORM and the UI at every start.
 */
const COMMANDS: Record<string, { load: () => Promise<Command>; help: string }> = {
  start: { load: () => import('./commands/start.ts').then((m) => m.startCommand), help: 'start [--demo]            run the roles in ROLES (default: api,smtp,worker)' },
  migrate: { load: () => import('./commands/migrate.ts').then((m) => m.migrateCommand), help: 'migrate                   create the database if missing and apply migrations' },
  keys: { load: () => import('./commands/keys.ts').then((m) => m.keysCommand), help: 'keys create --role R [--label L] [--trust T | --feedback-loop NAME] | keys revoke ID' },
  analyze: { load: () => import('./commands/analyze.ts').then((m) => m.analyzeCommand), help: 'analyze [--tenancy FILE | --no-tenancy] [--feedback-loop NAME] [--explain] FILE...   attribute .eml files offline, one JSON line each' },
  tenancy: { load: () => import('./commands/tenancy.ts').then((m) => m.tenancyCommand), help: 'tenancy import FILE | tenancy check FILE   load (or only validate) the tenancy file' },
  users: { load: () => import('./commands/users.ts').then((m) => m.usersCommand), help: 'users create --email E --role analyst|admin | users reset-password --email E   (prompts on a TTY, else prints a generated password)' },
  reporters: { load: () => import('./commands/reporters.ts').then((m) => m.reportersCommand), help: 'reporters list [--status live|revoked|all] [--email E] | reporters revoke ID [--reason R]   personal reporting addresses' },
  campaigns: { load: () => import('./commands/campaigns.ts').then((m) => m.campaignsCommand), help: 'campaigns backfill [--batch N]  assign existing reports to campaigns (resumable, progress on stderr)' },
  requeue: { load: () => import('./commands/requeue.ts').then((m) => m.requeueCommand), help: 'requeue --failed [--since ISO]  reset failed submissions to received and queue them again' },
};

/** The command names, for the documentation check (test/docs/doc-names.test.ts). */
export const COMMAND_NAMES = Object.keys(COMMANDS);

export function usage(): string {
  return ['usage: abuse-intake <command> [options]', '', ...Object.values(COMMANDS).map((c) => `  ${c.help}`)].join('\n');
}

/** Exit codes: 0 ok, 1 runtime or configuration error, 2 bad arguments. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`${name && name !== '--help' ? `unknown command: ${name}\n` : ''}${usage()}\n`);
    return name === '--help' ? 0 : 2;
  }
  try {
    return await (await command.load())(rest);
  } catch (err) {
    if (isAppError(err) && err.code === 'validation_failed') {
      process.stderr.write(`abuse-intake ${name}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`abuse-intake ${name}: ${isAppError(err) ? err.message : (err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

/** A bad-arguments error (exit 2). */
export function badArgs(message: string): AppError {
  return new AppError('validation_failed', message);
}
