import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { testConfig } from '../helpers/config.ts';
import { buildApp } from '../analyst/build-app.ts';
import { Browserless } from '../analyst/ui-login.ts';
import { createUser } from '../../shared/users/users.ts';
import { createMailer } from '../../shared/mail/mailer.ts';
import { createLogger } from '../../shared/logger.ts';
import { linkOwnUrls } from '../../api/dev-outbox/dev-outbox.view.ts';

/** Issue 14, item 3: /dev/outbox lists the development outbox for admins, only where it is in use. */
describe('development outbox pages (/dev/outbox)', function () {
  this.timeout(60_000);
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(() => truncateAll(ds));

  const users = async () => {
    await createUser(ds, 'outbox-admin@example.test', 'admin', 'correct horse battery');
    await createUser(ds, 'outbox-analyst@example.test', 'analyst', 'correct horse battery');
  };

  describe('start --demo without a relay', () => {
    let built: Awaited<ReturnType<typeof buildApp>>;
    before(async () => {
      built = await buildApp({ demo: true });
    });
    after(() => built.close());

    it('admins read the list and each mail as escaped text; only links to this service are links', async () => {
      await users();
      // The same path a confirmation mail takes: the demo mailer writes the outbox the page reads.
      const config = testConfig();
      const mailer = createMailer(config, { ds, log: createLogger('silent'), demo: true });
      await mailer.send({
        to: 'sender@example.net',
        subject: 'Confirm <script>alert(1)</script>',
        text: `Confirm here: http://localhost:${config.PORT}/delist/confirm?token=abc_DEF-123\nNot ours: http://evil.example/phish <img src=x>`,
      });
      const admin = new Browserless(built.url);
      await admin.login('outbox-admin@example.test', 'correct horse battery');
      const list = await admin.fetch('/dev/outbox');
      expect(list.status).to.equal(200);
      const listHtml = await list.text();
      expect(listHtml).to.include('Confirm &lt;script&gt;alert(1)&lt;/script&gt;').and.include('sender@example.net');
      const id = /href="\/dev\/outbox\/([0-9a-f-]{36})"/.exec(listHtml)![1]!;
      const mail = await (await admin.fetch(`/dev/outbox/${id}`)).text();
      expect(mail).to.include(`<a href="http://localhost:${config.PORT}/delist/confirm?token=abc_DEF-123">`);
      expect(mail).not.to.include('<a href="http://evil.example');
      expect(mail).to.include('http://evil.example/phish &lt;img src=x&gt;');
      expect(mail).not.to.include('<script>alert(1)');
    });

    it('anonymous visitors are sent to the login, analysts are refused, unknown ids are 404', async () => {
      await users();
      const anon = await fetch(`${built.url}/dev/outbox`, { redirect: 'manual' });
      expect(anon.status).to.equal(303);
      expect(anon.headers.get('location')).to.match(/^\/login\?next=/);
      const analyst = new Browserless(built.url);
      await analyst.login('outbox-analyst@example.test', 'correct horse battery');
      expect((await analyst.fetch('/dev/outbox')).status).to.equal(403);
      const admin = new Browserless(built.url);
      await admin.login('outbox-admin@example.test', 'correct horse battery');
      expect((await admin.fetch('/dev/outbox/6f1c2d4e-8a5b-4c3d-9e2f-0a1b2c3d4e5f')).status).to.equal(404);
      expect((await admin.fetch('/dev/outbox/not-an-id')).status).to.equal(400);
    });
  });

  for (const [what, opts] of [
    ['without --demo', {}],
    ['in production, even under --demo', { demo: true, config: { NODE_ENV: 'production' } }],
    ['with a mail relay', { demo: true, config: { MAIL_RELAY_URL: 'smtp://127.0.0.1:1' } }],
  ] as const) {
    it(`is not mounted ${what}`, async () => {
      const built = await buildApp(opts);
      try {
        await users();
        const admin = new Browserless(built.url);
        await admin.login('outbox-admin@example.test', 'correct horse battery');
        expect((await admin.fetch('/dev/outbox')).status).to.equal(404);
      } finally {
        await built.close();
      }
    });
  }

  it('links only URLs under the service base, and escapes everything else', () => {
    const out = linkOwnUrls('a http://svc.example/x?y=1. b http://svc.example.evil/z c https://svc.example', 'http://svc.example').value;
    expect(out).to.equal('a <a href="http://svc.example/x?y=1">http://svc.example/x?y=1</a>. b http://svc.example.evil/z c https://svc.example');
  });
});
