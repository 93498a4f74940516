import { parseArgs } from 'node:util';
import { loadConfig } from '../../shared/config/load-config.ts';
import { migrate } from '../../shared/db/migrate.ts';
import { createDataSource } from '../../shared/db/data-source.ts';
import { createApiKey, revokeApiKey } from '../../shared/auth/api-keys.ts';
import { API_ROLES, type ApiRole } from '../../shared/db/entities/api-key.entity.ts';
import { badArgs } from '../main.ts';

/** `keys create --role R [--label L]` prints the key alone on the last line; `keys revoke ID`. */
export async function keysCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgsOrThrow(rest);
  if (action !== 'create' && action !== 'revoke') throw badArgs('usage: keys create --role intake|analyst|admin|platform [--label L] | keys revoke ID');
  if (action === 'create' && !API_ROLES.includes(values.role as ApiRole)) throw badArgs(`--role must be one of ${API_ROLES.join(', ')}`);
  if (action === 'revoke' && positionals.length !== 1) throw badArgs('usage: keys revoke ID');

  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const ds = createDataSource({ url: config.DATABASE_URL, poolSize: 1 });
  await ds.initialize();
  try {
    if (action === 'revoke') {
      const done = await revokeApiKey(ds, positionals[0]!);
      process.stdout.write(done ? `revoked ${positionals[0]}\n` : `no active key ${positionals[0]}\n`);
      return done ? 0 : 1;
    }
    const created = await createApiKey(ds, values.role as ApiRole, values.label ?? null);
    process.stdout.write(`created key ${created.id} with role ${created.role}; it is shown only now:\n${created.key}\n`);
    return 0;
  } finally {
    await ds.destroy();
  }
}

function parseArgsOrThrow(args: string[]) {
  try {
    return parseArgs({ args, options: { role: { type: 'string' }, label: { type: 'string' } }, allowPositionals: true });
  } catch (err) {
    throw badArgs((err as Error).message);
  }
}
