import { expect } from 'chai';
import { createUser } from '../../shared/users/users.ts';
import { useTestService } from '../helpers/service.ts';
import { waitUntil } from '../helpers/db.ts';
import { Browserless } from '../analyst/ui-login.ts';

const PASSWORD = 'correct horse battery';
const WRONG = 'wrong password!!';

/** A cookie-keeping client that comes through the (trusted, loopback) proxy as `ip`. */
class Client extends Browserless {
  constructor(base: string, readonly ip: string) {
    super(base);
  }
  override fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return super.fetch(path, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': this.ip } });
  }
  /** Logs in with a token fetched once; returns the status only. */
  async attempt(email: string, password: string, csrf?: string): Promise<Response> {
    return this.post('/login', { _csrf: csrf ?? (await this.csrfFrom('/login')), email, password, next: '/' });
  }
}

const prefix = (name: string) => `${process.env.REDIS_PREFIX}-login-${name}`;

describe('sign-in limits', () => {
  describe('counting before checking', () => {
    // A queue large enough that the hash bound (tested elsewhere) never answers for the counters.
    const t = useTestService({
      ROLES: 'api', REDIS_PREFIX: prefix('race'), TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES: '5', LOGIN_LIMIT_PER_IP: '1000', PASSWORD_HASH_QUEUE: '100',
    });
    beforeEach(() => createUser(t.ds, 'victim@example.test', 'analyst', PASSWORD));

    it('checks at most the allowance of 60 parallel guesses, the right password among them', async () => {
      const c = new Client(t.svc.url, '198.51.100.10');
      const csrf = await c.csrfFrom('/login');
      const statuses = await Promise.all(
        Array.from({ length: 60 }, (_, i) => c.attempt('victim@example.test', i === 30 ? PASSWORD : WRONG, csrf).then((r) => r.status)),
      );
      const checked = statuses.filter((s) => s === 401 || s === 303).length;
      expect(checked, `statuses: ${statuses.join(',')}`).to.be.at.most(5);
      expect(statuses.filter((s) => s === 429).length).to.be.at.least(55);
      // Once the allowance is spent, the right password is refused too (from this address).
      if (!statuses.includes(303)) expect((await c.attempt('victim@example.test', PASSWORD)).status).to.equal(429);
    });

    it('normalises the email once: case and NFKC variants share the counter, vİctim@ is another account', async () => {
      const c = new Client(t.svc.url, '198.51.100.11');
      for (let i = 0; i < 5; i++) expect((await c.attempt('victim@example.test', WRONG)).status).to.equal(401);
      expect((await c.attempt('VICTIM@Example.TEST', PASSWORD)).status).to.equal(429);
      expect((await c.attempt('ｖｉｃｔｉｍ@example.test', PASSWORD)).status).to.equal(429);
      // Dotted capital I lowers to "i + combining dot": not victim@, so no way around the counter —
      // and no sign-in either (Postgres' lower() used to fold it onto victim@).
      const dotted = await c.attempt('vİctim@example.test', PASSWORD);
      expect(dotted.status).to.equal(401);
      // From another address the real user signs in with a full-width variant of the address.
      const other = new Client(t.svc.url, '198.51.100.12');
      expect((await other.attempt('ｖｉｃｔｉｍ@EXAMPLE.test', PASSWORD)).status).to.equal(303);
    });

    it("does not lock the real user out of their own address after a stranger's failures", async () => {
      const stranger = new Client(t.svc.url, '203.0.113.66');
      for (let i = 0; i < 5; i++) expect((await stranger.attempt('victim@example.test', WRONG)).status).to.equal(401);
      expect((await stranger.attempt('victim@example.test', PASSWORD)).status).to.equal(429);
      const user = new Client(t.svc.url, '198.51.100.13');
      expect((await user.attempt('victim@example.test', PASSWORD)).status).to.equal(303);
    });
  });

  describe('per-account slow-down from unknown addresses', () => {
    const t = useTestService({
      ROLES: 'api', REDIS_PREFIX: prefix('slow'), TRUST_PROXY: 'loopback', LOGIN_LIMIT_PER_IP: '1000', LOGIN_ACCOUNT_BURST: '3', LOGIN_ACCOUNT_REFILL_SECONDS: '3600',
    });
    beforeEach(() => createUser(t.ds, 'victim@example.test', 'analyst', PASSWORD));

    it('slows guessing spread over many IPs, but never the addresses the user signed in from', async () => {
      const home = new Client(t.svc.url, '198.51.100.20');
      expect((await home.attempt('victim@example.test', PASSWORD)).status).to.equal(303);
      // Strangers from four addresses: the account's burst (3) lets three through, then slows down.
      const statuses: number[] = [];
      for (let i = 1; i <= 4; i++) statuses.push((await new Client(t.svc.url, `203.0.113.${i}`).attempt('victim@example.test', WRONG)).status);
      expect(statuses).to.deep.equal([401, 401, 401, 429]);
      const slowed = await new Client(t.svc.url, '203.0.113.9').attempt('victim@example.test', PASSWORD);
      expect(slowed.status).to.equal(429);
      expect(Number(slowed.headers.get('retry-after'))).to.be.within(1, 3600);
      expect(await slowed.text()).to.include('from new places');
      // The user's own address is not slowed.
      expect((await new Client(t.svc.url, '198.51.100.20').attempt('victim@example.test', PASSWORD)).status).to.equal(303);
    });
  });

  describe('the slow-down refills by itself', () => {
    const t = useTestService({
      ROLES: 'api', REDIS_PREFIX: prefix('refill'), TRUST_PROXY: 'loopback', LOGIN_LIMIT_PER_IP: '1000', LOGIN_ACCOUNT_BURST: '1', LOGIN_ACCOUNT_REFILL_SECONDS: '1',
    });
    beforeEach(() => createUser(t.ds, 'victim@example.test', 'analyst', PASSWORD));

    it('lets an attempt from a new address through again once the allowance has come back', async () => {
      // Strangers until the account is slowed down…
      let n = 0;
      await waitUntil(async () => ((await new Client(t.svc.url, `203.0.113.${++n}`).attempt('victim@example.test', WRONG)).status === 429 ? true : undefined), 'the account to be slowed down');
      // …then, without anyone resetting anything, a new address gets its turn.
      const later = new Client(t.svc.url, '198.51.100.21');
      const csrf = await later.csrfFrom('/login');
      await waitUntil(async () => ((await later.attempt('victim@example.test', PASSWORD, csrf)).status === 303 ? true : undefined), 'the slow-down to let an attempt through', 5000);
    });
  });

  describe('per client IP', () => {
    const t = useTestService({ ROLES: 'api', REDIS_PREFIX: prefix('ip'), TRUST_PROXY: 'loopback', LOGIN_LIMIT_PER_IP: '4' });
    beforeEach(() => createUser(t.ds, 'victim@example.test', 'analyst', PASSWORD));

    it('limits POST /login per client IP whatever the account; successful sign-ins do not use it up', async () => {
      for (let i = 0; i < 3; i++) expect((await new Client(t.svc.url, '198.51.100.30').attempt('victim@example.test', PASSWORD)).status).to.equal(303);
      const c = new Client(t.svc.url, '198.51.100.30');
      const accounts = ['a', 'b', 'c', 'd'].map((x) => `${x}@example.test`);
      const statuses: number[] = [];
      for (const a of accounts) statuses.push((await c.attempt(a, WRONG)).status);
      expect(statuses).to.deep.equal([401, 401, 401, 401]);
      const over = await c.attempt('e@example.test', WRONG);
      expect(over.status).to.equal(429);
      expect(await over.text()).to.include('from your address');
      // Another client is not affected.
      expect((await new Client(t.svc.url, '198.51.100.31').attempt('victim@example.test', PASSWORD)).status).to.equal(303);
    });
  });
});

describe('migration: user emails normalised once', () => {
  const t = useTestService({ ROLES: 'api', REDIS_PREFIX: prefix('migration') });

  it('rewrites existing emails with normalizeLogin; of two that normalise alike the newer is disabled', async () => {
    const { NormalizedLogins1764370000000: Migration } = await import('../../shared/db/migrations/1764370000000-normalized-logins.ts');
    const qr = t.ds.createQueryRunner();
    try {
      // The schema as it was before: emails as typed, unique by lower().
      await new Migration().down(qr);
      const insert = (id: string, email: string, at: string) =>
        qr.query(`INSERT INTO users (id, email, role, password_hash, created_at) VALUES ($1, $2, 'analyst', 'x', $3)`, [id, email, at]);
      await insert('00000000-0000-4000-8000-000000000001', 'Ana@Example.TEST', '2026-01-01');
      await insert('00000000-0000-4000-8000-000000000002', 'ｂｏｂ@example.test', '2026-01-02');
      await insert('00000000-0000-4000-8000-000000000003', 'BOB@example.test', '2026-01-03');
      await new Migration().up(qr);
      const rows: { id: string; email: string; disabled: boolean }[] = await qr.query(`SELECT id, email, disabled_at IS NOT NULL AS disabled FROM users ORDER BY id`);
      expect(rows.map((r) => [r.email, r.disabled])).to.deep.equal([
        ['ana@example.test', false],
        ['bob@example.test', false],
        ['BOB@example.test', true],
      ]);
    } finally {
      await qr.release();
    }
  });
});
