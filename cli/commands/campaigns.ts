import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../shared/config/load-config.ts';
import { createDataSource } from '../../shared/db/data-source.ts';
import { migrate } from '../../shared/db/migrate.ts';
import { backfillCampaigns, type BackfillProgress } from '../../workers/campaigns/backfill-campaigns.ts';
import { badArgs } from '../main.ts';

const USAGE = 'usage: campaigns backfill [--batch N]   (assign existing reports to campaigns; resumable)';

/**
 * `campaigns backfill`: assigns the reports that have no campaign yet (docs/campaigns.md). A progress
 * bar on stderr when it is a terminal, else a line per 10 batches; the summary on stdout.
 */
export async function campaignsCommand(args: string[]): Promise<number> {
  let values: { batch?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: { batch: { type: 'string' } } }));
  } catch (err) {
    throw badArgs(`${(err as Error).message}\n${USAGE}`);
  }
  if (positionals.length !== 1 || positionals[0] !== 'backfill') throw badArgs(USAGE);
  const batch = values.batch === undefined ? 200 : Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 5000) throw badArgs(`--batch must be an integer from 1 to 5000\n${USAGE}`);

  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const ds = createDataSource({ url: config.DATABASE_URL, poolSize: 2 });
  await ds.initialize();
  try {
    const [{ n }]: [{ n: number }] = await ds.query(`SELECT count(*)::int AS n FROM reports WHERE campaign_id IS NULL`);
    const tty = process.stderr.isTTY === true;
    const bar = tty ? new cliProgress.SingleBar({ stream: process.stderr, format: 'campaigns backfill [{bar}] {value}/{total} reports · {assigned} assigned · {eta_formatted} left' }, cliProgress.Presets.shades_classic) : null;
    bar?.start(n, 0, { assigned: 0 });
    let batches = 0;
    const onProgress = (p: BackfillProgress) => {
      bar?.update(Math.min(p.done, n), { assigned: p.assigned });
      if (!tty && ++batches % 10 === 0) process.stderr.write(`campaigns backfill: ${p.done}/${n} reports, ${p.assigned} assigned\n`);
    };
    const result = await backfillCampaigns(ds, { alertReports: config.CAMPAIGN_ALERT_REPORTS, alertMinTrust: config.REPUTATION_MIN_TRUST }, batch, onProgress);
    bar?.stop();
    process.stdout.write(`campaigns backfill: ${result.done} report(s) read, ${result.assigned} assigned, ` +
      `${result.done - result.assigned - result.missingRaw} without enough content, ${result.missingRaw} without a raw message\n`);
    return 0;
  } finally {
    await ds.destroy();
  }
}
