import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { loadConfig } from '../../shared/config/load-config.ts';
import { migrate } from '../../shared/db/migrate.ts';
import { createDataSource } from '../../shared/db/data-source.ts';
import { createUser, USER_ROLES, type UserRole } from '../../shared/users/users.ts';
import { generatePassword } from '../../shared/users/password.ts';
import { badArgs } from '../main.ts';

/**
 * `users create --email E --role analyst|admin`: asks for the password twice on a TTY (not
 * echoed); without a TTY it generates one and prints it once on the last line.
 */
export async function usersCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values } = parse(rest);
  if (action !== 'create') throw badArgs('usage: users create --email E --role analyst|admin');
  if (!values.email) throw badArgs('--email is required');
  if (!USER_ROLES.includes(values.role as UserRole)) throw badArgs(`--role must be one of ${USER_ROLES.join(', ')}`);

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
    const user = await createUser(ds, values.email, values.role as UserRole, password);
    process.stdout.write(`created ${user.role} ${user.email}\n`);
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
