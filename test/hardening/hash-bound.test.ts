import { expect } from 'chai';
import { createUser } from '../../shared/users/users.ts';
import { HashSlots } from '../../shared/users/hash-slots.ts';
import { useTestService } from '../helpers/service.ts';
import { Browserless } from '../analyst/ui-login.ts';

const PASSWORD = 'correct horse battery';

describe('password hashes bounded per process', () => {
  describe('HashSlots', () => {
    it('runs at most `concurrency`, queues at most `queue`, refuses beyond, and hands places on in order', async () => {
      const slots = new HashSlots(1, 2);
      const a = slots.tryAcquire()!;
      const b = slots.tryAcquire()!;
      const c = slots.tryAcquire()!;
      expect(slots.tryAcquire()).to.equal(null);
      const order: string[] = [];
      void b.ready.then(() => order.push('b'));
      void c.ready.then(() => order.push('c'));
      await a.ready;
      // A waiter refused before its turn leaves the line without taking the running place.
      c.release();
      a.release();
      await b.ready;
      expect(order).to.deep.equal(['b']);
      expect(slots.taken).to.equal(1);
      b.release();
      expect(slots.taken).to.equal(0);
    });
  });

  describe('under a flood of anonymous sign-ins', () => {
    const t = useTestService({
      ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-hashbound`, PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '4', LOGIN_LIMIT_PER_IP: '1000',
    });

    it('refuses the excess with 429 at once, while static files and signed-in pages still answer first', async () => {
      await createUser(t.ds, 'ana@example.test', 'analyst', PASSWORD);
      const analyst = new Browserless(t.svc.url);
      expect((await analyst.login('ana@example.test', PASSWORD)).status).to.equal(303);

      const attacker = new Browserless(t.svc.url);
      const csrf = await attacker.csrfFrom('/login');
      const events: string[] = [];
      let firstRefusal!: () => void;
      const refused = new Promise<void>((resolve) => (firstRefusal = resolve));
      // 40 sign-ins for 40 unknown accounts (each costs one full scrypt check when admitted).
      const logins = Array.from({ length: 40 }, (_, i) =>
        attacker.post('/login', { _csrf: csrf, email: `nobody${i}@example.test`, password: 'not the password' }).then(async (res) => {
          const body = await res.text();
          events.push(`login:${res.status}`);
          if (res.status === 429) {
            expect(res.headers.get('retry-after')).to.equal('1');
            expect(body).to.include('busy');
            firstRefusal();
          }
          return res.status;
        }),
      );
      // The bound is saturated once the first refusal comes back; now ask for a file and a page.
      await Promise.race([refused, Promise.all(logins)]);
      const [css, page] = await Promise.all([
        fetch(`${t.svc.url}/static/app.css`).then(async (r) => (events.push('static'), { status: r.status, body: await r.text() })),
        analyst.fetch('/ui/reports').then(async (r) => (events.push('page'), { status: r.status, body: await r.text() })),
      ]);
      const statuses = await Promise.all(logins);

      expect(css.status).to.equal(200);
      expect(css.body.length).to.be.greaterThan(100);
      expect(page.status).to.equal(200);
      expect(page.body).to.include('<h1>Reports</h1>');
      // 1 running + 4 waiting were admitted (checked: 401); every other one was refused at once.
      expect(statuses.filter((s) => s === 401).length).to.be.within(5, 10);
      expect(statuses.filter((s) => s === 429).length).to.be.at.least(30);
      // Neither the file nor the page waited behind the admitted hashes.
      const lastCheck = events.lastIndexOf('login:401');
      expect(events.indexOf('static'), events.join(' ')).to.be.below(lastCheck);
      expect(events.indexOf('page'), events.join(' ')).to.be.below(lastCheck);
    });
  });
});
