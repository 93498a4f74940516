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
});
