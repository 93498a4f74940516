import { AppError, isAppError } from '../shared/errors/app-error.ts';
import { startCommand } from './commands/start.ts';
import { migrateCommand } from './commands/migrate.ts';
import { keysCommand } from './commands/keys.ts';
import { analyzeCommand } from './commands/analyze.ts';
import { tenancyCommand } from './commands/tenancy.ts';
import { usersCommand } from './commands/users.ts';
import { requeueCommand } from './commands/requeue.ts';

export type Command = (args: string[]) => Promise<number>;

/** Every CLI command; documented in README.md ("CLI"). */
const COMMANDS: Record<string, { run: Command; help: string }> = {
  start: { run: startCommand, help: 'start [--demo]            run the roles in ROLES (default: api,smtp,worker)' },
  migrate: { run: migrateCommand, help: 'migrate                   create the database if missing and apply migrations' },
  keys: { run: keysCommand, help: 'keys create --role R [--label L] | keys revoke ID' },
  analyze: { run: analyzeCommand, help: 'analyze [--tenancy FILE] [--explain] FILE...   attribute .eml files offline, one JSON line each' },
  tenancy: { run: tenancyCommand, help: 'tenancy import FILE | tenancy check FILE   load (or only validate) the tenancy file' },
  users: { run: usersCommand, help: 'users create --email E --role analyst|admin   (prompts on a TTY, else prints a generated password)' },
  requeue: { run: requeueCommand, help: 'requeue --failed [--since ISO]  reset failed submissions to received and queue them again' },
};

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
    return await command.run(rest);
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
