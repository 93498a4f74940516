import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { DEMO_HISTORY_DAYS, seedDemoOwner } from '../../runtime/seed-demo-owner.ts';

/**
 * The demo owner's month of volume must hold a row per address and UTC day whatever the time of day
 * the demo starts (the quick-start walk counts them; CI runs at any hour, and at 00:04 UTC a working-
 * hours-only seed had no row yet for today).
 */
describe('demo IP owner: 30 days of volume at any time of day', function () {
  this.timeout(30_000);
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());

  for (const at of ['2026-12-01T00:04:00Z', '2026-12-01T07:59:59Z', '2026-12-01T12:30:00Z', '2026-12-01T23:59:00Z']) {
    it(`seeded at ${at}: every address has a row for each of the ${DEMO_HISTORY_DAYS} UTC days, none in the future`, async () => {
      await truncateAll(ds);
      const now = new Date(at);
      await seedDemoOwner(ds, now);
      const rows: { ip: string; days: number; last: Date }[] = await ds.query(
        `SELECT key AS ip, count(DISTINCT date_trunc('day', hour, 'UTC'))::int AS days, max(hour) AS last FROM delivery_volume WHERE kind = 'ip' GROUP BY key ORDER BY key`);
      expect(rows).to.have.length(2);
      for (const r of rows) {
        expect(r.days, r.ip).to.equal(DEMO_HISTORY_DAYS);
        expect(r.last.getTime()).to.be.at.most(now.getTime());
      }
    });
  }
});
