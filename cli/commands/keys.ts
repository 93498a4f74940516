import { parseArgs } from 'node:util';
import { loadConfig } from '../../shared/config/load-config.ts';
import { migrate } from '../../shared/db/migrate.ts';
import { createDataSource } from '../../shared/db/data-source.ts';
import { createApiKey, revokeApiKey } from '../../shared/auth/api-keys.ts';
import { API_ROLES, type ApiRole } from '../../shared/db/entities/api-key.entity.ts';
import { loadTenancy } from '../../shared/tenancy/tenancy-store.ts';
import { badArgs } from '../main.ts';

const KEY_TRUSTS = ['platform', 'verified', 'anonymous'] as const;
const USAGE =
  'usage: keys create --role intake|analyst|admin|platform [--label L] [--trust platform|verified|anonymous | --feedback-loop NAME] | keys revoke ID';

/**
 * `keys create --role R [--label L] [--trust T | --feedback-loop NAME]` prints the key alone on the
 * last line; `keys revoke ID`. `--trust` and `--feedback-loop` say what an intake key's reports are
 * trusted as (docs/reputation.md): `platform` by default; a key bound to a feedback loop of the
 * imported tenancy is `feed`.
 */
export async function keysCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgsOrThrow(rest);
  if (action !== 'create' && action !== 'revoke') throw badArgs(USAGE);
  if (action === 'create' && !API_ROLES.includes(values.role as ApiRole)) throw badArgs(`--role must be one of ${API_ROLES.join(', ')}`);
  if (action === 'revoke' && positionals.length !== 1) throw badArgs('usage: keys revoke ID');
  const trust = values.trust as (typeof KEY_TRUSTS)[number] | undefined;
  const loop = values['feedback-loop'];
  if (action === 'create') {
    if ((trust !== undefined || loop !== undefined) && values.role !== 'intake') throw badArgs('--trust and --feedback-loop are for --role intake');
    if (trust !== undefined && !KEY_TRUSTS.includes(trust)) throw badArgs(`--trust must be one of ${KEY_TRUSTS.join(', ')}`);
    if (trust !== undefined && loop !== undefined) throw badArgs('--feedback-loop makes the key a feed: leave out --trust');
    if (loop !== undefined && loop.trim() === '') throw badArgs('--feedback-loop needs the name of a feedback loop in the tenancy');
  }

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
    if (loop !== undefined) {
      const names = (await loadTenancy(ds))?.tenancy.feedbackLoops.map((f) => f.name) ?? [];
      if (!names.includes(loop)) {
        throw badArgs(`--feedback-loop: the imported tenancy has no feedback loop named ${JSON.stringify(loop)} (it has: ${names.map((n) => JSON.stringify(n)).join(', ') || 'none'})`);
      }
    }
    const created = await createApiKey(ds, values.role as ApiRole, values.label ?? null, { trust, feedbackLoop: loop ?? null });
    const what = values.role !== 'intake' ? '' : loop !== undefined ? ` (trust feed: feedback loop ${JSON.stringify(loop)})` : ` (trust ${trust ?? 'platform'})`;
    process.stdout.write(`created key ${created.id} with role ${created.role}${what}; it is shown only now:\n${created.key}\n`);
    return 0;
  } finally {
    await ds.destroy();
  }
}

function parseArgsOrThrow(args: string[]) {
  try {
    return parseArgs({
      args,
      options: { role: { type: 'string' }, label: { type: 'string' }, trust: { type: 'string' }, 'feedback-loop': { type: 'string' } },
      allowPositionals: true,
    });
  } catch (err) {
    throw badArgs((err as Error).message);
  }
}
