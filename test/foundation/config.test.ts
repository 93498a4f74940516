import { expect } from 'chai';
import { loadConfig } from '../../shared/config/load-config.ts';
import { AppError } from '../../shared/errors/app-error.ts';

describe('config', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).to.equal(3000);
    expect(c.SMTP_PORT).to.equal(2525);
    expect(c.DATABASE_URL).to.equal('postgres://postgres@127.0.0.1:5432/abuse_intake');
    expect(c.REDIS_URL).to.equal('redis://127.0.0.1:6379');
    expect(c.ROLES).to.deep.equal(['api', 'smtp', 'worker']);
    expect(c.MAX_MESSAGE_BYTES).to.equal(25 * 1024 * 1024);
    expect(Object.isFrozen(c)).to.equal(true);
  });

  it('parses a role list', () => {
    expect(loadConfig({ ROLES: 'api, worker' }).ROLES).to.deep.equal(['api', 'worker']);
  });

  for (const [name, value, fragment] of [
    ['PORT', 'eighty', 'PORT'],
    ['PORT', '70000', 'PORT'],
    ['ROLES', 'api,mailer', 'ROLES'],
    ['DATABASE_URL', 'mysql://x/y', 'DATABASE_URL'],
    ['REDIS_URL', 'not a url', 'REDIS_URL'],
    ['MAX_MESSAGE_BYTES', '-5', 'MAX_MESSAGE_BYTES'],
  ] as const) {
    it(`rejects ${name}=${value} naming the variable`, () => {
      expect(() => loadConfig({ [name]: value })).to.throw(AppError, fragment);
    });
  }

  it('reads a *_FILE variant for our own variables only', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'url'), 'redis://10.0.0.9:6380\n');
    const c = loadConfig({ REDIS_URL_FILE: join(dir, 'url'), OTHER_TOOL_FILE: '/nonexistent' });
    expect(c.REDIS_URL).to.equal('redis://10.0.0.9:6380');
  });

  it('exits with code 1 and names the variable when started with a bad value', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['bin/abuse-intake.js', 'start'], { env: { ...process.env, PORT: 'eighty' }, encoding: 'utf8' });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.contain('PORT');
  });
});
