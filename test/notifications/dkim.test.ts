import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth';
import type { DataSource } from 'typeorm';
import { createMailer } from '../../shared/mail/mailer.ts';
import { createLogger } from '../../shared/logger.ts';
import { composeArf } from '../../shared/notifications/compose-arf.ts';
import { testConfig } from '../helpers/config.ts';
import { testDataSource } from '../helpers/db.ts';
import { startCaptureServer, type CaptureServer } from '../helpers/smtp-capture.ts';

describe('mailer: DKIM signing with MAIL_DKIM_*', () => {
  let ds: DataSource;
  let smtp: CaptureServer;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  // The verifier's DNS: only our selector's TXT record exists.
  const resolver = async (name: string, rrtype: string): Promise<string[][]> => {
    if (rrtype === 'TXT' && name.toLowerCase() === 'n1._domainkey.desk.example') return [[record]];
    throw Object.assign(new Error(`no ${rrtype} ${name}`), { code: 'ENOTFOUND' });
  };
  const config = () => testConfig({
    MAIL_RELAY_URL: smtp.url, MAIL_FROM: 'Abuse desk <abuse@desk.example>',
    MAIL_DKIM_DOMAIN: 'desk.example', MAIL_DKIM_SELECTOR: 'n1', MAIL_DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });

  before(async () => {
    ds = await testDataSource();
    smtp = await startCaptureServer();
  });
  after(async () => {
    await smtp.close();
    await ds.destroy();
  });

  it('signs a composed mail; the captured bytes verify against the public key', async () => {
    const mailer = createMailer(config(), { ds, log: createLogger('silent') });
    await mailer.send({ to: 'noc@contoso.example', subject: 'digest', text: 'hello' });
    const [mail] = await smtp.waitFor(1);
    const res = await dkimVerify(mail!.raw, { resolver });
    expect(res.results.map((r: { status: { result: string } }) => r.status.result)).to.deep.equal(['pass']);
    // Changing one byte of the body breaks it (the verification is real).
    const tampered = Buffer.from(mail!.raw.toString().replace('hello', 'hellO'));
    expect((await dkimVerify(tampered, { resolver })).results[0]!.status.result).to.not.equal('pass'); // mailauth: body hash mismatch → neutral
    mailer.close();
  });

  it('signs a prebuilt ARF (raw) too', async () => {
    smtp.mails.length = 0;
    const mailer = createMailer(config(), { ds, log: createLogger('silent') });
    const arf = composeArf({ from: 'Abuse desk <abuse@desk.example>', to: ['noc@contoso.example'], messageId: '<a@desk.example>', subject: 'report', date: new Date(), humanText: 'x', userAgent: 'ua', reported: Buffer.from('Subject: s\r\n\r\nbody\r\n'), attachMaxBytes: 1000 });
    await mailer.send({ raw: arf.raw, envelope: { from: 'abuse@desk.example', to: ['noc@contoso.example'] } });
    const [mail] = await smtp.waitFor(1);
    expect((await dkimVerify(mail!.raw, { resolver })).results[0]!.status.result).to.equal('pass');
    mailer.close();
  });
});
