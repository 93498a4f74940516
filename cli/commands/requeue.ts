import { parseArgs } from 'node:util';
import { loadConfig } from '../../shared/config/load-config.ts';
import { createDataSource } from '../../shared/db/data-source.ts';
import { createRedis } from '../../shared/queue/redis.ts';
import { createSubmissionQueue } from '../../shared/queue/submission-queue.ts';
import { requeueFailed } from '../../workers/maintenance/requeue-failed.ts';
import { badArgs } from '../main.ts';

const USAGE = 'usage: requeue --failed [--since ISO-8601]   (failed at or after --since)';

/** `requeue --failed [--since ISO]`: re-drives failed submissions; prints how many, then the ids. */
export async function requeueCommand(args: string[]): Promise<number> {
  let values: { failed?: boolean; since?: string };
  try {
    ({ values } = parseArgs({ args, options: { failed: { type: 'boolean' }, since: { type: 'string' } } }));
  } catch (err) {
    throw badArgs(`${(err as Error).message}\n${USAGE}`);
  }
  if (!values.failed) throw badArgs(USAGE);
  let since: Date | null = null;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (!/^\d{4}-\d\d-\d\d/.test(values.since) || Number.isNaN(since.getTime())) throw badArgs(`--since must be an ISO-8601 date or time, not ${values.since}`);
  }

  const config = loadConfig();
  const ds = createDataSource({ url: config.DATABASE_URL, poolSize: 2 });
  await ds.initialize();
  const redis = createRedis(config.REDIS_URL, { name: 'abuse-intake-requeue' });
  const queue = createSubmissionQueue(redis, config.REDIS_PREFIX);
  try {
    const { requeued, skippedNoRaw } = await requeueFailed(ds, queue, since);
    process.stdout.write(`requeued ${requeued.length} failed submission(s)` +
      (skippedNoRaw ? `; ${skippedNoRaw} left failed: their raw message was deleted by retention` : '') + '\n');
    for (const id of requeued) process.stdout.write(`${id}\n`);
    return 0;
  } finally {
    await queue.close();
    redis.disconnect();
    await ds.destroy();
  }
}
