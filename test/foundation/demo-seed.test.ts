import { expect } from 'chai';
import { once } from 'node:events';
import { dropDatabase } from '../../shared/db/ensure-database.ts';
import { createDataSource } from '../../shared/db/data-source.ts';
import { freePort, spawnCli, waitForOutput } from '../helpers/spawn-cli.ts';
import { waitUntil } from '../helpers/db.ts';
import { DEMO_LISTED_IP } from '../../runtime/seed-demo.ts';
import { Browserless } from '../analyst/ui-login.ts';

describe('npm start (start --demo) on an empty database', () => {
  // Its own database: the demo seeds only when there are no keys, users or submissions.
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname += '_demo';
  const prefix = `${process.env.REDIS_PREFIX}-demo`;
  after(() => dropDatabase(url.toString()));

  it('creates the database, prints a working admin key and UI login, and processes sample reports', async function () {
    this.timeout(90_000);
    const port = await freePort();
    const child = spawnCli(['start', '--demo'], { DATABASE_URL: url.toString(), REDIS_PREFIX: prefix, PORT: String(port), HOST: '127.0.0.1', ROLES: 'api,worker' });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitForOutput(child, /sample reports sent through the intake/, 60_000);
      const key = /export KEY=(\S+)/.exec(out)?.[1];
      const password = /admin@demo\.localhost \/ (\S+)/.exec(out)?.[1];
      expect(key, out).to.match(/^ak_/);
      expect(password, out).to.have.length.greaterThan(11);

      const ds = createDataSource({ url: url.toString(), poolSize: 1 });
      await ds.initialize();
      try {
        const [{ n: tenants }] = await ds.query(`SELECT count(*)::int AS n FROM tenants`);
        expect(tenants).to.be.greaterThan(0);
        await waitUntil(async () => {
          const [{ pending }] = await ds.query(`SELECT count(*)::int AS pending FROM submissions WHERE status IN ('received', 'queued')`);
          return pending === 0 ? true : undefined;
        }, 'demo submissions to be processed', 30_000);
      } finally {
        await ds.destroy();
      }
      const res = await fetch(`http://127.0.0.1:${port}/v1/reports?limit=50`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { items: unknown[] };
      expect(body.items.length).to.be.greaterThan(3);
      // The human summary says where mail goes, and the printed login opens the development outbox.
      expect(out).to.match(/outgoing mail\s+kept, not sent: http:\/\/localhost:\d+\/dev\/outbox/);
      const admin = new Browserless(`http://127.0.0.1:${port}`);
      expect((await admin.login('admin@demo.localhost', password!)).status).to.equal(303);
      expect((await admin.fetch('/dev/outbox')).status).to.equal(200);
      // The README's demo shows a listing, made through a trusted channel (a platform intake key,
      // six distinct platform users) by the real worker, not written into the listings table.
      expect(out).to.contain(`/v1/lookup/${DEMO_LISTED_IP}`);
      const lookup = await waitUntil(async () => {
        const l = (await (await fetch(`http://127.0.0.1:${port}/v1/lookup/${DEMO_LISTED_IP}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { listed: boolean; reasons: string[] };
        return l.listed ? l : undefined;
      }, 'the demo listing', 30_000);
      expect(lookup.reasons.join()).to.match(/from 6 distinct reporters/);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });
});
