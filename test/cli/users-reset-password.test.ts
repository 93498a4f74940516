import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { runCli } from '../helpers/spawn-cli.ts';
import { checkCredentials, createUser } from '../../shared/users/users.ts';

/** Issue 14, item 4: a lost password (the demo login scrolled away) is one documented command. */
describe('CLI: users reset-password', function () {
  this.timeout(60_000);
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
    await truncateAll(ds);
  });
  after(() => ds.destroy());

  it('without a TTY sets a generated password, prints it once, and only the new one signs in', async () => {
    await createUser(ds, 'Forgetful@Example.test', 'admin', 'the old password 1');
    const r = runCli(['users', 'reset-password', '--email', 'forgetful@example.test']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include('new password set for admin Forgetful@Example.test');
    const password = r.stdout.trim().split('\n').at(-1)!;
    expect(password).to.have.length.greaterThan(11);
    expect(await checkCredentials(ds, 'forgetful@example.test', password)).to.include({ role: 'admin' });
    expect(await checkCredentials(ds, 'forgetful@example.test', 'the old password 1')).to.equal(null);
  });

  it('exits 1 for an unknown user and 2 for bad arguments', () => {
    const unknown = runCli(['users', 'reset-password', '--email', 'nobody@example.test']);
    expect(unknown.status).to.equal(1);
    expect(unknown.stderr).to.include('no user nobody@example.test');
    expect(runCli(['users', 'reset-password']).status).to.equal(2);
    expect(runCli(['users', 'reset-password', '--email', 'a@b.test', '--role', 'admin']).status).to.equal(2);
  });
});
