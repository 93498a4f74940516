import { parseArgs } from 'node:util';
import { loadConfig } from '../../shared/config/load-config.ts';
import { migrate } from '../../shared/db/migrate.ts';
import { createDataSource } from '../../shared/db/data-source.ts';
import { addressIdentity } from '../../shared/identity/normalize-address.ts';
import { listReporters, revokeById } from '../../shared/trust/reporters-store.ts';
import { badArgs } from '../main.ts';

const USAGE = 'usage: reporters list [--status live|revoked|all] [--email E] | reporters revoke ID [--reason R]';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Personal reporting addresses (docs/reputation.md): `reporters list` prints one JSON object per
 * line; `reporters revoke ID` revokes one (mail to it is refused from then on).
 */
export async function reportersCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { status: { type: 'string' }, email: { type: 'string' }, reason: { type: 'string' } }, allowPositionals: true });
  } catch (err) {
    throw badArgs(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const status = (values.status ?? 'live') as 'live' | 'revoked' | 'all';
  if (action === 'list' && !['live', 'revoked', 'all'].includes(status)) throw badArgs(`--status must be live, revoked or all\n${USAGE}`);
  if (action === 'revoke' && (positionals.length !== 1 || !UUID.test(positionals[0]!))) throw badArgs(`name one reporter id (a UUID, from reporters list)\n${USAGE}`);
  if (action !== 'list' && action !== 'revoke') throw badArgs(USAGE);
  const identity = values.email === undefined ? null : addressIdentity(values.email);
  if (values.email !== undefined && !identity) throw badArgs('--email is not an email address');

  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const ds = createDataSource({ url: config.DATABASE_URL, poolSize: 1 });
  await ds.initialize();
  try {
    if (action === 'list') {
      for (const r of await listReporters(ds, { status, identity, limit: 10_000 })) process.stdout.write(`${JSON.stringify(r)}\n`);
      return 0;
    }
    const id = positionals[0]!;
    const out = await revokeById(ds, id, 'cli', values.reason ?? 'revoked with the CLI', new Date());
    process.stdout.write(out === 'revoked' ? `revoked reporter ${id}\n` : out === 'already' ? `reporter ${id} was already revoked\n` : `no reporter ${id}\n`);
    return out === 'revoked' ? 0 : 1;
  } finally {
    await ds.destroy();
  }
}
