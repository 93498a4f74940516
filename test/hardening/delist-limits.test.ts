import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitUntil } from '../helpers/db.ts';
import { Browserless, csrfOf, startCaptureServer } from '../reputation/portal-helpers.ts';
import { delistAddressKey } from '../../api/delist/delist-guards.ts';

const LISTED = '203.0.113.77';

describe('delist portal limits on normalised addresses', () => {
  let ds: DataSource;
  let smtp: Awaited<ReturnType<typeof startCaptureServer>>;
  before(async () => {
    ds = await testDataSource();
    smtp = await startCaptureServer();
  });
  after(async () => {
    await smtp.close();
    await ds.destroy();
  });
  beforeEach(async () => {
    await truncateAll(ds);
    smtp.mails.length = 0;
    await ds.query(`INSERT INTO listings (ip, listed_at, reasons) VALUES ($1, now(), '["test"]')`, [LISTED]);
  });

  /** Asks for a removal link for `email` as a visitor from `clientIp`; returns the status. */
  async function ask(svc: TestService, email: string, clientIp: string): Promise<number> {
    const b = new Browserless();
    const headers = { 'x-forwarded-for': clientIp };
    const form = await b.fetch(`${svc.url}/sender/delist`, { headers });
    const res = await b.fetch(`${svc.url}/sender/delist`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrfOf(form.body), ip: LISTED, email }),
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    });
    return res.status;
  }

  it('keys an address by its identity: +tag, case and NFKC variants are one mailbox', () => {
    expect(delistAddressKey('Jo+1@Sender.example')).to.equal('jo@sender.example');
    expect(delistAddressKey('ｊｏ+x@sender.example')).to.equal('jo@sender.example');
    expect(delistAddressKey('not an address')).to.equal('not an address');
  });

  describe('per address per hour', () => {
    let svc: TestService;
    before(async () => {
      svc = await startTestService({
        ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-delist-hour`, TRUST_PROXY: 'loopback', MAIL_RELAY_URL: smtp.url,
        DELIST_RATE_PER_EMAIL: '2', DELIST_RATE_PER_IP: '1000', DELIST_MAILS_PER_ADDRESS_PER_DAY: '1000',
      });
    });
    after(() => svc.stop());

    it('+tag variants share one budget', async () => {
      const statuses = [];
      for (const email of ['jo+1@sender.example', 'Jo+2@Sender.example', 'jo@sender.example']) statuses.push(await ask(svc, email, '198.51.100.1'));
      expect(statuses).to.deep.equal([200, 200, 429]);
      await waitUntil(async () => (smtp.mails.length >= 2 ? true : undefined), 'two mails');
      expect(smtp.mails).to.have.length(2);
    });
  });

  describe('mails per address per day', () => {
    let svc: TestService;
    before(async () => {
      svc = await startTestService({
        ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-delist-day`, TRUST_PROXY: 'loopback', MAIL_RELAY_URL: smtp.url,
        DELIST_RATE_PER_EMAIL: '1000', DELIST_RATE_PER_IP: '1000', DELIST_MAILS_PER_ADDRESS_PER_DAY: '3',
      });
    });
    after(() => svc.stop());

    it('caps the mails one mailbox gets in a day, whoever asks from wherever', async () => {
      const statuses = [];
      for (let i = 1; i <= 5; i++) statuses.push(await ask(svc, `ann+${i}@sender.example`, `198.51.100.${i}`));
      expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
      await waitUntil(async () => (smtp.mails.length >= 3 ? true : undefined), 'three mails');
      expect(smtp.mails.map((m) => m.to)).to.have.length(3);
      // Another mailbox is not affected.
      expect(await ask(svc, 'bob@sender.example', '198.51.100.1')).to.equal(200);
      const [audit] = await ds.query(`SELECT detail FROM delist_audit WHERE action = 'rate_limited' LIMIT 1`);
      expect(audit.detail).to.equal('limit for this email address today');
    });
  });
});
