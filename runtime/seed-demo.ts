import type { Config } from '../shared/config/config.schema.ts';
import type { Logger } from '../shared/logger.ts';
import { createDataSource } from '../shared/db/data-source.ts';
import { createApiKey } from '../shared/auth/api-keys.ts';
import { seedDemoTenancy } from '../shared/tenancy/seed-demo-tenancy.ts';

/**
 * `start --demo` (what `npm start` runs): on an empty database, creates one admin key so a newcomer
 * can post a message and read it back at once. Prints the key to stdout; never runs twice.
 */
export async function seedDemo(config: Config, log: Logger): Promise<void> {
  const ds = createDataSource({ url: config.DATABASE_URL, poolSize: 1 });
  await ds.initialize();
  try {
    await seedDemoTenancy(ds, log);
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM api_keys`)) as [{ n: number }];
    if (n > 0) {
      log.info('demo: API keys exist already; create more with `npx abuse-intake keys create --role …`');
      return;
    }
    const admin = await createApiKey(ds, 'admin', 'demo admin (created by npm start)');
    process.stdout.write(
      `\n  abuse-intake demo: an admin API key was created (shown once):\n\n    export KEY=${admin.key}\n\n` +
        `  try: curl -s -X POST --data-binary @../shared/corpus/spam/spamassassin/001.eml -H 'Content-Type: message/rfc822' \\\n` +
        `         -H "Authorization: Bearer $KEY" localhost:${config.PORT}/v1/intake/email\n\n`,
    );
  } finally {
    await ds.destroy();
  }
}
