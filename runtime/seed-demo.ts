import { readFileSync, readdirSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { join } from 'node:path';
import type { Config } from '../shared/config/config.schema.ts';
import type { Logger } from '../shared/logger.ts';
import { createDataSource } from '../shared/db/data-source.ts';
import { createApiKey } from '../shared/auth/api-keys.ts';
import { seedDemoTenancy } from '../shared/tenancy/seed-demo-tenancy.ts';
import { createUser } from '../shared/users/users.ts';
import { generatePassword } from '../shared/users/password.ts';
import { createRedis } from '../shared/queue/redis.ts';
import { createSubmissionQueue } from '../shared/queue/submission-queue.ts';
import { SubmissionWriter } from '../shared/intake/submission-writer.ts';
import { keyTrust, type KeyForTrust } from '../shared/trust/channel-trust.ts';
import { DEMO_LOGIN, type DemoCreated } from './demo-summary.ts';
import { DEMO_OWNER, seedDemoOwner } from './seed-demo-owner.ts';

import { PACKAGE_ROOT as ROOT } from '../shared/package-root.ts';

/** Sample reports a newcomer's dashboard starts with: the examples plus a few real ARF and spam messages. */
const DEMO_MESSAGES = [
  ...readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.eml')).map((f) => join('examples', f)),
  'test/fixtures/corpus/arf/sisimai/arf-01.eml',
  'test/fixtures/corpus/arf/abuseio/spamexperts-1.eml',
  'test/fixtures/corpus/spam/spamassassin/001.eml',
  'test/fixtures/corpus/spam/spamassassin/005.eml',
  'test/fixtures/corpus/spam/rspamd/spam.eml',
];

/** The outside sender the demo lists: six platform users report its spam through a platform intake key. */
export const DEMO_LISTED_IP = '198.51.100.201';
const DEMO_REPORTERS = ['ana', 'ben', 'chloe', 'dev', 'eli', 'fay'].map((n) => `${n}@demo.localhost`);

/** A spam as a demo user's mailbox received it: the mailbox's internal hop, the outside sender below it. */
function listingSpam(n: number): Buffer {
  return Buffer.from([
    'Received: from mx.demo.localhost (mx.demo.localhost [192.168.10.5])',
    `\tby mail.demo.localhost with ESMTP id demo${n}; Mon, 2 Mar 2026 10:00:0${n} +0000`,
    `Received: from bulk.prize-draw.example (bulk.prize-draw.example [${DEMO_LISTED_IP}])`,
    `\tby mx.demo.localhost with ESMTP id demo-in${n}; Mon, 2 Mar 2026 10:00:0${n} +0000`,
    'From: Prize Team <winner@prize-draw.example>',
    `To: ${DEMO_REPORTERS[n]}`,
    'Subject: You have won a prize, claim it today',
    `Message-ID: <demo-listing-${n}@prize-draw.example>`,
    'Date: Mon, 2 Mar 2026 09:59:00 +0000',
    '',
    'Click here to claim your prize.',
    '',
  ].join('\r\n'));
}

/**
 * `start --demo` (what `npm start` runs). On an empty database only: imports the demo tenancy,
 * creates an admin API key and an admin UI user, and sends a few sample messages through the real
 * intake path so the dashboard has something to show. Never runs twice. Returns what it created
 * (the start command prints it once, in the start-up summary).
 */
export async function seedDemo(config: Config, log: Logger): Promise<DemoCreated> {
  const ds = createDataSource({ url: config.DATABASE_URL, poolSize: 2 });
  await ds.initialize();
  try {
    await seedDemoTenancy(ds, log);
    const [{ keys, users, submissions }] = (await ds.query(
      `SELECT (SELECT count(*)::int FROM api_keys) AS keys, (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM submissions) AS submissions`,
    )) as [{ keys: number; users: number; submissions: number }];
    const created: DemoCreated = {};
    if (keys === 0) created.key = (await createApiKey(ds, 'admin', 'demo admin (created by npm start)')).key;
    if (users === 0) {
      const password = generatePassword();
      await createUser(ds, DEMO_LOGIN, 'admin', password);
      created.login = { email: DEMO_LOGIN, password };
    }
    if (submissions === 0) {
      created.samples = await sendSamples(ds, config, log);
      created.listedIp = DEMO_LISTED_IP;
      await seedDemoOwner(ds, new Date());
      created.owner = DEMO_OWNER;
    }
    if (!created.key && !created.login && !created.samples) log.info('demo: keys, users and reports exist already; nothing seeded');
    return created;
  } finally {
    await ds.destroy();
  }
}

async function sendSamples(ds: DataSource, config: Config, log: Logger): Promise<number> {
  const redis = createRedis(config.REDIS_URL, { failFast: true, name: 'abuse-intake-demo' });
  const queue = createSubmissionQueue(redis, config.REDIS_PREFIX);
  try {
    await queue.waitUntilReady().catch(() => undefined);
    const writer = new SubmissionWriter(ds, queue, log);
    // The samples come in as the platform's own relay would post them (POST /v1/intake/email with a
    // platform-trust intake key and X-Reporter): trusted, so the demo shows reputation at work.
    const relay = await createApiKey(ds, 'intake', 'demo platform relay (created by npm start)', { trust: 'platform' });
    const key: KeyForTrust = { id: relay.id, trust: 'platform', feedbackLoop: null };
    // Read every file before accepting any: a missing file must not leave accepts unawaited.
    const raws = DEMO_MESSAGES.map((f) => readFileSync(join(ROOT, f)));
    const accepted = await Promise.all([
      ...raws.map((raw) => writer.accept({ channel: 'http', raw, reporter: 'demo@demo.localhost', category: 'spam', trust: keyTrust(key, 'demo@demo.localhost') })),
      ...DEMO_REPORTERS.map((reporter, n) =>
        writer.accept({ channel: 'http', raw: listingSpam(n), reporter, category: 'spam', trust: keyTrust(key, reporter) })),
    ]);
    return accepted.length;
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
