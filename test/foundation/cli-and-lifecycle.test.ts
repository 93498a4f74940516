import { expect } from 'chai';
import { once } from 'node:events';
import type { DataSource } from 'typeorm';
import { testDataSource } from '../helpers/db.ts';
import { freePort, runCli, spawnCli, waitForOutput } from '../helpers/spawn-cli.ts';
import { verifyApiKey } from '../../shared/auth/api-keys.ts';

describe('CLI and process lifecycle', () => {
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());

  describe('keys create', () => {
    it('prints the new key alone on the last line, and the key authenticates with its role', async () => {
      const r = runCli(['keys', 'create', '--role', 'platform', '--label', 'mta-1']);
      expect(r.status, r.stderr).to.equal(0);
      const last = r.stdout.trim().split('\n').at(-1)!;
      expect(last).to.match(/^ak_[a-z0-9]{12}_\S{43}$/);
      expect(await verifyApiKey(ds, last)).to.include({ role: 'platform' });
      // ak_<id>_<secret>: the secret is base64url and may itself contain '_'.
      const [, id, secret] = /^ak_([a-z0-9]{12})_(\S{43})$/.exec(last)!;
      const [row] = await ds.query(`SELECT label, secret_sha256 FROM api_keys WHERE id = $1`, [id]);
      expect(row.label).to.equal('mta-1');
      expect(row.secret_sha256).not.to.contain(secret);
    });

    it('exits 2 on a bad role', () => {
      const r = runCli(['keys', 'create', '--role', 'root']);
      expect(r.status).to.equal(2);
      expect(r.stderr).to.contain('--role must be one of');
    });

    it('revokes a key', async () => {
      const key = runCli(['keys', 'create', '--role', 'intake']).stdout.trim().split('\n').at(-1)!;
      const r = runCli(['keys', 'revoke', key.split('_')[1]!]);
      expect(r.status).to.equal(0);
      expect(await verifyApiKey(ds, key)).to.equal(null);
    });
  });

  it('exits 2 and prints usage for an unknown command', () => {
    const r = runCli(['frobnicate']);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('usage: abuse-intake');
  });

  it('`start` serves, then drains on SIGTERM and exits 0', async function () {
    this.timeout(60_000);
    const port = await freePort();
    const child = spawnCli(['start'], { ROLES: 'api,worker', PORT: String(port), HOST: '127.0.0.1' });
    try {
      await waitForOutput(child, /abuse-intake started/);
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.include({ status: 'ready', postgres: 'ok', redis: 'ok' });
      const stopped = waitForOutput(child, /"msg":"stopped"/);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      await stopped;
      expect(code).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('`start` exits 1 with the reason when a role cannot start, instead of hanging on open connections', async function () {
    this.timeout(60_000);
    // A worker in production without its pseudonymisation key refuses to start (docs/reliability.md).
    const child = spawnCli(['start'], { ROLES: 'api,worker', PORT: String(await freePort()), HOST: '127.0.0.1', NODE_ENV: 'production', PSEUDONYMISE_KEY: '', SESSION_SECRET: 'x'.repeat(32) });
    try {
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).to.equal(1);
      expect(stderr).to.contain('PSEUDONYMISE_KEY (or PSEUDONYMISE_KEY_FILE) is required in production');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
