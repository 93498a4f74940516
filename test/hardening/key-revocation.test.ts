import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createApiKey } from '../../shared/auth/api-keys.ts';
import { KeyChangeFeed } from '../../shared/auth/key-changes.ts';
import { createLogger } from '../../shared/logger.ts';
import { ApiKeyAuthenticator } from '../../api/middleware/require-role.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitUntil } from '../helpers/db.ts';
import { freePort, runCli, spawnCli, waitForOutput } from '../helpers/spawn-cli.ts';

const prefix = `${process.env.REDIS_PREFIX}-revoke`;

describe('API key revocation reaches every process at once', () => {
  let ds: DataSource;
  let inProcess: TestService;
  let other: ChildProcess;
  let otherUrl: string;

  before(async function () {
    this.timeout(60_000);
    ds = await testDataSource();
    inProcess = await startTestService({ ROLES: 'api', REDIS_PREFIX: prefix });
    // A second api process of its own, as in a deployment with several api instances.
    const port = await freePort();
    other = spawnCli(['start'], { ROLES: 'api', PORT: String(port), HOST: '127.0.0.1', REDIS_PREFIX: prefix, LOG_LEVEL: 'info' });
    await waitForOutput(other, /http listening/);
    otherUrl = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    other?.kill('SIGTERM');
    await inProcess?.stop();
    await ds?.destroy();
  });
  beforeEach(() => truncateAll(ds));

  const lookup = (base: string, key: string) => fetch(`${base}/v1/lookup/203.0.113.7`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

  it('keys revoke ID: both instances refuse the key on the next request', async () => {
    const { id, key } = await createApiKey(ds, 'platform', 'mta');
    // Both instances have verified (and cached) the key.
    for (let i = 0; i < 3; i++) expect([await lookup(inProcess.url, key), await lookup(otherUrl, key)]).to.deep.equal([200, 200]);
    const r = runCli(['keys', 'revoke', id], { REDIS_PREFIX: prefix });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).not.to.include('warning');
    expect(await lookup(inProcess.url, key)).to.equal(401);
    expect(await lookup(otherUrl, key)).to.equal(401);
    // Another key is unaffected.
    const second = await createApiKey(ds, 'platform', 'mta-2');
    expect(await lookup(otherUrl, second.key)).to.equal(200);
  });

  it('keeps the hot path cached: a change nobody announced is not read from Postgres per request', async () => {
    const { id, key } = await createApiKey(ds, 'platform', 'mta');
    expect(await lookup(inProcess.url, key)).to.equal(200);
    await ds.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [id]);
    expect(await lookup(inProcess.url, key)).to.equal(200);
  });
});

describe('KeyChangeFeed: a dropped subscription never serves a stale key', () => {
  let ds: DataSource;
  let feed: KeyChangeFeed;
  let admin: Redis;
  const feedPrefix = `${process.env.REDIS_PREFIX}-feed`;

  before(async () => {
    ds = await testDataSource();
    admin = new Redis(process.env.REDIS_URL!);
  });
  after(async () => {
    feed?.close();
    admin.disconnect();
    await ds.destroy();
  });

  it('drops the cache when the subscription comes back, and does not cache while it is down', async () => {
    feed = KeyChangeFeed.start(process.env.REDIS_URL!, feedPrefix, createLogger('silent'));
    await waitUntil(async () => (feed.live ? true : undefined), 'the subscription');
    const auth = new ApiKeyAuthenticator(ds, feed);
    const { id, key } = await createApiKey(ds, 'intake', 'x');
    expect(await auth.authenticate(key)).to.include({ id, role: 'intake' });
    // Revoked without an announcement (as if the message were lost while the connection was down).
    await ds.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [id]);
    expect(await auth.authenticate(key)).to.include({ id }); // still cached: nothing was announced
    const epoch = feed.epoch;
    // Drop exactly this feed's connection (found by its name), as a network cut would.
    const clients = (await admin.client('LIST')) as string;
    const line = clients.split('\n').find((l) => l.includes(` name=${feedPrefix}:key-changes `));
    expect(line, 'the feed connection is named after its prefix').to.be.a('string');
    await admin.client('KILL', 'ID', /\bid=(\d+)/.exec(line!)![1]!);
    await waitUntil(async () => (feed.epoch > epoch ? true : undefined), 'the feed to notice');
    // Down or already back (and cleared): either way the revocation is seen.
    expect(await auth.authenticate(key)).to.equal(null);
    await waitUntil(async () => (feed.live ? true : undefined), 'the subscription to come back');
    expect(await auth.authenticate(key)).to.equal(null);
  });

  it('without a feed, nothing is cached', async () => {
    const auth = new ApiKeyAuthenticator(ds);
    const { id, key } = await createApiKey(ds, 'intake', 'x');
    expect(await auth.authenticate(key)).to.include({ id });
    await ds.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [id]);
    expect(await auth.authenticate(key)).to.equal(null);
  });
});
