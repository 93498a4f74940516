import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { loadConfig } from '../../shared/config/load-config.ts';
import { migrate } from '../../shared/db/migrate.ts';
import { createDataSource } from '../../shared/db/data-source.ts';
import { createUser, setPassword, USER_ROLES, type UserRole } from '../../shared/users/users.ts';
import { generatePassword } from '../../shared/users/password.ts';
import { badArgs } from '../main.ts';

const USAGE = 'usage: users create --email E --role analyst|admin | users reset-password --email E';

/**
 * `users create --email E --role analyst|admin` and `users reset-password --email E` (a forgotten
 * password, or the demo login lost with the terminal): ask for the password twice on a TTY (not
 * echoed); without a TTY generate one and print it once on the last line.
 */
export async function usersCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values } = parse(rest);
  if (action !== 'create' && action !== 'reset-password') throw badArgs(USAGE);
  if (!values.email) throw badArgs('--email is required');
  if (action === 'create' && !USER_ROLES.includes(values.role as UserRole)) throw badArgs(`--role must be one of ${USER_ROLES.join(', ')}`);
  if (action === 'reset-password' && values.role) throw badArgs(`reset-password takes no --role\n${USAGE}`);

  let password: string;
  let generated = false;
  if (process.stdin.isTTY && process.stdout.isTTY) {
    password = await askHidden('password: ');
    if ((await askHidden('again: ')) !== password) throw badArgs('the passwords differ');
  } else {
    password = generatePassword();
    generated = true;
  }

  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const ds = createDataSource({ url: config.DATABASE_URL, poolSize: 1 });
  await ds.initialize();
  try {
    if (action === 'reset-password') {
      const user = await setPassword(ds, values.email, password);
      if (!user) {
        process.stderr.write(`abuse-intake users: no user ${values.email}\n`);
        return 1;
      }
      process.stdout.write(`new password set for ${user.role} ${user.email}\n`);
    } else {
      const user = await createUser(ds, values.email, values.role as UserRole, password);
      process.stdout.write(`created ${user.role} ${user.email}\n`);
    }
    if (generated) process.stdout.write(`generated password (shown only now):\n${password}\n`);
    return 0;
  } finally {
    await ds.destroy();
  }
}

function parse(args: string[]) {
  try {
    return parseArgs({ args, options: { email: { type: 'string' }, role: { type: 'string' } }, allowPositionals: false });
  } catch (err) {
    throw badArgs((err as Error).message);
  }
}

/** Reads a line without echoing it (the terminal shows nothing while typing). */
function askHidden(prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stdout.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}
