import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { runCli } from '../helpers/spawn-cli.ts';
import { verifyApiKey } from '../../shared/auth/api-keys.ts';

const TENANCY = fileURLToPath(new URL('../fixtures/trust/trust-tenancy.yaml', import.meta.url));
const lastLine = (out: string) => out.trim().split('\n').at(-1)!;

describe('CLI: keys create --trust / --feedback-loop', function () {
  this.timeout(60_000);
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
    await truncateAll(ds);
  });
  after(() => ds.destroy());

  it('an intake key is platform by default, or the trust given; the key lookup carries it', async () => {
    const plain = runCli(['keys', 'create', '--role', 'intake']);
    expect(plain.status, plain.stderr).to.equal(0);
    expect(plain.stdout).to.contain('(trust platform)');
    expect(await verifyApiKey(ds, lastLine(plain.stdout))).to.deep.include({ role: 'intake', trust: 'platform', feedbackLoop: null });
    const anon = runCli(['keys', 'create', '--role', 'intake', '--trust', 'anonymous', '--label', 'partner']);
    expect(await verifyApiKey(ds, lastLine(anon.stdout))).to.deep.include({ trust: 'anonymous', feedbackLoop: null });
  });

  it('--feedback-loop needs a loop of the imported tenancy, and makes the key a feed', async () => {
    const missing = runCli(['keys', 'create', '--role', 'intake', '--feedback-loop', 'Example FBL']);
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.contain('no feedback loop named "Example FBL"');
    expect(runCli(['tenancy', 'import', TENANCY]).status).to.equal(0);
    const unknown = runCli(['keys', 'create', '--role', 'intake', '--feedback-loop', 'Nope']);
    expect(unknown.status).to.equal(2);
    expect(unknown.stderr).to.contain('(it has: "Example FBL", "Other FBL")');
    const feed = runCli(['keys', 'create', '--role', 'intake', '--feedback-loop', 'Example FBL']);
    expect(feed.status, feed.stderr).to.equal(0);
    expect(await verifyApiKey(ds, lastLine(feed.stdout))).to.deep.include({ trust: 'feed', feedbackLoop: 'Example FBL' });
  });

  it('exits 2 on contradictions: a trust for another role, both flags, an unknown trust', () => {
    for (const args of [['--role', 'analyst', '--trust', 'platform'], ['--role', 'intake', '--trust', 'verified', '--feedback-loop', 'Example FBL'], ['--role', 'intake', '--trust', 'feed'], ['--role', 'intake', '--trust', 'root']]) {
      const r = runCli(['keys', 'create', ...args]);
      expect(r.status, args.join(' ')).to.equal(2);
    }
  });
});
