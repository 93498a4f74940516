import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { createMailer } from '../../shared/mail/mailer.ts';
import { getOutboxMail, listOutbox } from '../../shared/mail/dev-outbox.ts';
import { createLogger } from '../../shared/logger.ts';
import { isAppError } from '../../shared/errors/app-error.ts';
import { testConfig } from '../helpers/config.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { startCaptureServer, type CaptureServer } from '../helpers/smtp-capture.ts';

describe('mailer: where mail goes is decided once, at start', () => {
  let ds: DataSource;
  let smtp: CaptureServer;
  const log = createLogger('silent');

  before(async () => {
    ds = await testDataSource();
    smtp = await startCaptureServer();
  });
  after(async () => {
    await smtp.close();
    await ds.destroy();
  });
  beforeEach(() => truncateAll(ds));

  describe('with MAIL_RELAY_URL', () => {
    it('sends through the relay with the configured From and the automatic-mail headers', async () => {
      const config = testConfig({ MAIL_RELAY_URL: smtp.url, MAIL_FROM: 'Abuse desk <abuse@desk.example>' });
      const mailer = createMailer(config, { ds, log, demo: true });
      expect(mailer.kind).to.equal('relay');
      const sent = await mailer.send({ to: 'someone@example.org', subject: 'hello', text: 'body' });
      const [mail] = await smtp.waitFor(1);
      expect(mail!.to).to.deep.equal(['someone@example.org']);
      expect(mail!.from).to.equal('abuse@desk.example');
      expect(mail!.parsed.headers.get('auto-submitted')).to.equal('auto-generated');
      expect(mail!.parsed.messageId).to.equal(sent.messageId);
      expect(await listOutbox(ds)).to.have.length(0); // a relay wins over the demo outbox
      mailer.close();
    });
  });

  describe('without MAIL_RELAY_URL', () => {
    it('keeps mail in the development outbox under --demo', async () => {
      const mailer = createMailer(testConfig(), { ds, log, demo: true });
      expect(mailer.kind).to.equal('outbox');
      await mailer.send({ to: 'sender@example.net', subject: 'Confirm the removal request for 203.0.113.9', text: 'link: http://x/' });
      const [kept] = await listOutbox(ds);
      expect(kept!.to).to.deep.equal(['sender@example.net']);
      expect(kept!.subject).to.equal('Confirm the removal request for 203.0.113.9');
      expect(kept!.raw.toString()).to.include('Auto-Submitted: auto-generated');
      expect((await getOutboxMail(ds, kept!.id))!.raw.equals(kept!.raw)).to.equal(true);
      expect(await getOutboxMail(ds, 'not-a-uuid')).to.equal(null);
    });

    it('never uses the outbox in production, even under --demo', async () => {
      const mailer = createMailer(testConfig({ NODE_ENV: 'production' }), { ds, log, demo: true });
      expect(mailer.kind).to.equal('none');
    });

    it('refuses to send, saying what to configure, when not in demo mode', async () => {
      const mailer = createMailer(testConfig(), { ds, log });
      const err = await mailer.send({ to: 'a@example.org', subject: 's', text: 't' }).then(() => null, (e: unknown) => e);
      expect(isAppError(err) && err.code).to.equal('mail_unavailable');
      expect((err as Error).message).to.include('MAIL_RELAY_URL');
      expect(await listOutbox(ds)).to.have.length(0);
    });
  });
});
