import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { importTenancy, loadTenancy, tenancyVersion } from '../../shared/tenancy/tenancy-store.ts';
import { loadTenancyFile } from '../../shared/tenancy/parse-tenancy.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { CONTOSO_TENANCY_FILE } from '../analysis/attribute/helpers.ts';
import { seedDemoTenancy } from '../../shared/tenancy/seed-demo-tenancy.ts';
import { createLogger } from '../../shared/logger.ts';

describe('tenancy import (database)', () => {
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(async () => {
    await ds.destroy();
  });
  beforeEach(() => truncateAll(ds));

  it('imports tenants as rows and the document with version 1', async () => {
    const r = await importTenancy(ds, loadTenancyFile(CONTOSO_TENANCY_FILE), 'contoso-tenancy.yaml');
    expect(r).to.deep.include({ version: 1, changed: true, added: ['contoso', 'fabrikam'], updated: [], removed: [] });
    const rows: { id: string; domains: string[]; networks: string[] }[] = await ds.query(`SELECT id, domains, networks::text[] AS networks FROM tenants ORDER BY id`);
    expect(rows.map((x) => x.id)).to.deep.equal(['contoso', 'fabrikam']);
    expect(rows[1]!.networks).to.deep.equal(['52.101.77.0/24']);
    expect((await loadTenancy(ds))?.tenancy.tenants).to.have.length(2);
  });

  it('re-importing the same file changes nothing, not even the version', async () => {
    const t = loadTenancyFile(CONTOSO_TENANCY_FILE);
    await importTenancy(ds, t, 'a');
    const again = await importTenancy(ds, t, 'a');
    expect(again).to.deep.include({ version: 1, changed: false, added: [], updated: [], removed: [] });
    expect(await tenancyVersion(ds)).to.equal(1);
  });

  it('updates changed tenants, removes missing ones and bumps the version', async () => {
    const t = loadTenancyFile(CONTOSO_TENANCY_FILE);
    await importTenancy(ds, t, 'a');
    const next = { ...t, tenants: [{ ...t.tenants[0]!, name: 'Contoso Group' }] };
    const r = await importTenancy(ds, next, 'b');
    expect(r).to.deep.include({ version: 2, changed: true, added: [], updated: ['contoso'], removed: ['fabrikam'] });
    const rows: { id: string; name: string }[] = await ds.query(`SELECT id, name FROM tenants`);
    expect(rows).to.deep.equal([{ id: 'contoso', name: 'Contoso Group' }]);
  });

  it('a platform-only change bumps the version too', async () => {
    const t = loadTenancyFile(CONTOSO_TENANCY_FILE);
    await importTenancy(ds, t, 'a');
    const r = await importTenancy(ds, { ...t, trustedRelays: [] }, 'b');
    expect(r).to.deep.include({ version: 2, changed: true });
  });

  describe('start --demo', () => {
    const log = createLogger('silent');
    it('imports examples/demo-tenancy.yaml when no tenancy exists', async () => {
      expect(await seedDemoTenancy(ds, log)).to.equal(true);
      expect((await loadTenancy(ds))?.tenancy.tenants.map((t) => t.id)).to.deep.equal(['contoso', 'fabrikam']);
    });
    it('never overwrites an imported tenancy', async () => {
      const t = loadTenancyFile(CONTOSO_TENANCY_FILE);
      await importTenancy(ds, { ...t, tenants: [] }, 'real');
      expect(await seedDemoTenancy(ds, log)).to.equal(false);
      expect((await loadTenancy(ds))?.tenancy.tenants).to.deep.equal([]);
    });
  });
});
