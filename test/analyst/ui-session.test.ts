import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useTestService } from '../helpers/service.ts';
import { checkCredentials, createUser } from '../../shared/users/users.ts';
import { hashPassword, verifyPassword } from '../../shared/users/password.ts';
import { Browserless } from './ui-login.ts';

const PASSWORD = 'correct horse battery';

describe('UI users, sessions, CSRF and lockout', () => {
  const t = useTestService({ ROLES: 'api', LOGIN_MAX_FAILURES: '3' });

  beforeEach(async () => {
    await createUser(t.ds, 'ana@example.test', 'analyst', PASSWORD);
  });

  describe('passwords', () => {
    it('stores an scrypt hash, verifies it, and rejects a wrong or malformed one', async () => {
      const h = await hashPassword('s3cret-enough-pw');
      expect(h).to.match(/^scrypt\$32768\$8\$1\$/);
      expect(await verifyPassword('s3cret-enough-pw', h)).to.equal(true);
      expect(await verifyPassword('s3cret-enough-pX', h)).to.equal(false);
      expect(await verifyPassword('x', 'plain')).to.equal(false);
    });
    it('refuses short passwords and duplicate emails (case-insensitive)', async () => {
      let short: unknown;
      try {
        await createUser(t.ds, 'b@example.test', 'analyst', 'short');
      } catch (e) {
        short = e;
      }
      expect((short as { code?: string }).code).to.equal('validation_failed');
      let err: unknown;
      try {
        await createUser(t.ds, 'ANA@example.test', 'admin', PASSWORD);
      } catch (e) {
        err = e;
      }
      expect((err as { code?: string }).code).to.equal('conflict');
      expect(await checkCredentials(t.ds, 'Ana@Example.test', PASSWORD)).to.include({ email: 'ana@example.test', role: 'analyst' });
    });
  });

  it('users create without a TTY generates and prints a password that works', async () => {
    const { stdout } = await promisify(execFile)('node', ['bin/abuse-intake.js', 'users', 'create', '--email', 'cli@example.test', '--role', 'admin'], {
      env: { ...process.env },
    });
    const password = stdout.trim().split('\n').at(-1)!;
    expect(stdout).to.include('created admin cli@example.test');
    expect(await checkCredentials(t.ds, 'cli@example.test', password)).to.include({ role: 'admin' });
  });

  it('signs in, sets an httpOnly SameSite session cookie, and signs out', async () => {
    const b = new Browserless(t.svc.url);
    expect((await b.fetch('/')).headers.get('location')).to.equal('/login?next=%2F');
    const csrf = await b.csrfFrom('/login?next=/ui/reports');
    const res = await b.post('/login', { _csrf: csrf, email: 'ana@example.test', password: PASSWORD, next: '/ui/reports' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/ui/reports');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ai_sid='))!;
    expect(cookie).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i);
    expect((await b.fetch('/ui/reports')).status).to.equal(200);
    // The JSON API accepts the session for reads.
    expect((await b.fetch('/v1/reports')).status).to.equal(200);
    const out = await b.post('/logout', { _csrf: await b.csrfFrom('/ui/reports') });
    expect(out.status).to.equal(303);
    expect((await b.fetch('/ui/reports')).status).to.equal(303);
  });

  it('refuses a login or logout without a valid CSRF token', async () => {
    const b = new Browserless(t.svc.url);
    await b.csrfFrom('/login');
    expect((await b.post('/login', { _csrf: 'forged', email: 'ana@example.test', password: PASSWORD })).status).to.equal(403);
    // A token from another session is useless too.
    const other = new Browserless(t.svc.url);
    const stolen = await other.csrfFrom('/login');
    expect((await b.post('/login', { _csrf: stolen, email: 'ana@example.test', password: PASSWORD })).status).to.equal(403);
    await b.login('ana@example.test', PASSWORD);
    expect((await b.post('/logout', {})).status).to.equal(403);
  });

  it('does not redirect off-site after login', async () => {
    const b = new Browserless(t.svc.url);
    const csrf = await b.csrfFrom('/login');
    const res = await b.post('/login', { _csrf: csrf, email: 'ana@example.test', password: PASSWORD, next: '//evil.example/x' });
    expect(res.headers.get('location')).to.equal('/');
  });

  it('locks an email after repeated failures, even for the right password', async () => {
    const b = new Browserless(t.svc.url);
    for (let i = 0; i < 3; i++) expect((await b.login('ana@example.test', 'wrong password!')).status).to.equal(401);
    const locked = await b.login('ana@example.test', PASSWORD);
    expect(locked.status).to.equal(429);
    expect(await locked.text()).to.include('Too many failed attempts');
  });

  it('escapes hostile values echoed on the login page', async () => {
    const b = new Browserless(t.svc.url);
    const res = await b.login('"><script>alert(1)</script>@x.test', 'nope nope nope');
    const body = await res.text();
    expect(body).not.to.include('<script>alert(1)</script>');
    expect(body).to.include('&quot;&gt;&lt;script&gt;');
  });
});
