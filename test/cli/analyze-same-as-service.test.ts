import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { startTestService, bearer, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitForSubmission } from '../helpers/db.ts';
import { createLogger } from '../../shared/logger.ts';
import { seedDemoTenancy } from '../../shared/tenancy/seed-demo-tenancy.ts';
import { PACKAGE_ROOT } from '../../shared/package-root.ts';

const EXAMPLE = join(PACKAGE_ROOT, 'examples/outbound-contoso.eml');

/** The README's command, as a newcomer types it: no --tenancy, no TENANCY_FILE, no database. */
function analyze(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' };
  delete env.TENANCY_FILE;
  return spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin/abuse-intake.js'), 'analyze', ...args], { encoding: 'utf8', env, cwd: PACKAGE_ROOT });
}

type Attributed = { direction: string; relayIp: string | null; originatingIp: string | null; tenant: string | null; tenantConfidence: string | null; viaPlatform: boolean };
const pick = (r: Attributed) => ({
  direction: r.direction, relayIp: r.relayIp, originatingIp: r.originatingIp, tenant: r.tenant, tenantConfidence: r.tenantConfidence, viaPlatform: r.viaPlatform,
});

/** Issue 14, item 2: `analyze examples/outbound-contoso.eml` answers what `npm start`'s service answers. */
describe('CLI analyze without --tenancy gives the service\'s answer', function () {
  this.timeout(60_000);
  let svc: TestService;
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
    await truncateAll(ds);
    await seedDemoTenancy(ds, createLogger('silent')); // what start --demo imports
    svc = await startTestService({ ROLES: 'api,worker' });
  });
  after(async () => {
    await svc?.stop();
    await ds?.destroy();
  });

  it('uses the demo tenancy with a one-line note on stderr, and its report equals the service\'s for the same file', async () => {
    const cli = analyze(EXAMPLE);
    expect(cli.status).to.equal(0);
    expect(cli.stderr.trim().split('\n')).to.have.length(1);
    expect(cli.stderr).to.match(/using the demo tenancy \(examples\/demo-tenancy\.yaml/);
    const offline = (JSON.parse(cli.stdout) as { reports: Attributed[] }).reports;

    const res = await fetch(`${svc.url}/v1/intake/email`, {
      method: 'POST', body: new Uint8Array(readFileSync(EXAMPLE)), headers: { 'content-type': 'message/rfc822', authorization: await bearer(ds, 'intake') },
    });
    const { id } = (await res.json()) as { id: string };
    await waitForSubmission(ds, id);
    const online = (await (await fetch(`${svc.url}/v1/submissions/${id}`, { headers: { authorization: await bearer(ds, 'analyst') } })).json()) as { reports: Attributed[] };

    expect(offline.map(pick)).to.deep.equal(online.reports.map(pick));
    expect(pick(offline[0]!)).to.include({ direction: 'outbound', tenant: 'contoso' });
  });

  it('--explain prints the same attribution as text', () => {
    const r = analyze('--explain', EXAMPLE);
    expect(r.stdout).to.match(/outbound via the platform; relayIp \S+; originatingIp \S+; tenant contoso/);
  });

  it('TENANCY_FILE wins over the demo tenancy (no note); --no-tenancy uses none', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TENANCY_FILE: join(PACKAGE_ROOT, 'test/fixtures/attribution/contoso-tenancy.yaml') };
    const withFile = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin/abuse-intake.js'), 'analyze', EXAMPLE], { encoding: 'utf8', env });
    expect(withFile.status, withFile.stderr).to.equal(0);
    expect(withFile.stderr).to.equal('');
    const none = analyze('--no-tenancy', EXAMPLE);
    expect(none.stderr).to.equal('');
    expect((JSON.parse(none.stdout) as { reports: Attributed[] }).reports[0]).to.include({ direction: 'foreign', tenant: null });
    expect(analyze('--no-tenancy', '--tenancy', 'x.yaml', EXAMPLE).status).to.equal(2);
  });
});
