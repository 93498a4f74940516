import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { TenancyCache } from '../../shared/tenancy/tenancy-cache.ts';
import { importTenancy } from '../../shared/tenancy/tenancy-store.ts';
import { loadTenancyFile } from '../../shared/tenancy/parse-tenancy.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { CONTOSO_TENANCY_FILE } from '../analysis/attribute/helpers.ts';

describe('tenancy cache (worker side)', () => {
  let ds: DataSource;
  let clock = 0;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(async () => {
    await truncateAll(ds);
    clock = 1_000_000;
  });

  it('is the empty tenancy before any import', async () => {
    const cache = new TenancyCache(ds, { refreshMs: 5000, now: () => clock });
    expect((await cache.get()).tenantById.size).to.equal(0);
  });

  it('notices an import at the next check, not before', async () => {
    const t = loadTenancyFile(CONTOSO_TENANCY_FILE);
    await importTenancy(ds, t, 'a');
    const cache = new TenancyCache(ds, { refreshMs: 5000, now: () => clock });
    const first = await cache.get();
    expect([...first.tenantById.keys()]).to.deep.equal(['contoso', 'fabrikam']);

    await importTenancy(ds, { ...t, tenants: t.tenants.slice(0, 1) }, 'b');
    clock += 4999;
    expect(await cache.get()).to.equal(first); // within refreshMs: no query, same compiled object
    clock += 1;
    const second = await cache.get();
    expect([...second.tenantById.keys()]).to.deep.equal(['contoso']);
  });

  it('keeps the compiled object when the version did not change', async () => {
    await importTenancy(ds, loadTenancyFile(CONTOSO_TENANCY_FILE), 'a');
    const cache = new TenancyCache(ds, { refreshMs: 10, now: () => clock });
    const first = await cache.get();
    clock += 1000;
    expect(await cache.get()).to.equal(first);
  });

  it('inside a transaction, checks on the transaction\'s own connection (never waits on another one)', async () => {
    const t = loadTenancyFile(CONTOSO_TENANCY_FILE);
    await importTenancy(ds, t, 'public');
    // A tenancy_state only this transaction sees (its search_path): proof of which connection read it.
    await ds.query(`DROP SCHEMA IF EXISTS tx_probe CASCADE`);
    await ds.query(`CREATE SCHEMA tx_probe`);
    try {
      await ds.query(`CREATE TABLE tx_probe.tenancy_state (LIKE public.tenancy_state INCLUDING ALL)`);
      await ds.query(`INSERT INTO tx_probe.tenancy_state (id, version, document, source) SELECT 1, version + 100, jsonb_set(document, '{tenants}', '[]'::jsonb), 'probe' FROM public.tenancy_state`);
      const inTx = await ds.transaction(async (em) => {
        await em.query(`SET LOCAL search_path = tx_probe, public`);
        return new TenancyCache(ds, { refreshMs: 5000, now: () => clock }).get(em);
      });
      expect(inTx.tenantById.size).to.equal(0); // the probe's tenancy: read through the transaction
      const outside = await new TenancyCache(ds, { refreshMs: 5000, now: () => clock }).get();
      expect([...outside.tenantById.keys()]).to.deep.equal(['contoso', 'fabrikam']);
    } finally {
      await ds.query(`DROP SCHEMA tx_probe CASCADE`);
    }
  });
});
