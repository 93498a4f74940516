import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { startTestService, bearer, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitUntil } from '../helpers/db.ts';
import { sendRaw } from '../intake/smtp-client.ts';
import { personalAddressFor } from '../trust/helpers.ts';

// A spam as a recipient's mailbox received it: the recipient's internal hop above, the outside
// sender 203.0.113.77 below it. Attribution makes that the relay and originating IP.
const SPAM = (n: number) =>
  [
    'Received: from mx.recipient.example (mx.recipient.example [192.168.1.5])',
    '\tby mail.recipient.example with ESMTP id 1; Mon, 2 Mar 2026 10:00:01 +0000',
    'Received: from bulk.spammer.example (bulk.spammer.example [203.0.113.77])',
    '\tby mx.recipient.example with ESMTP id 2; Mon, 2 Mar 2026 10:00:00 +0000',
    'From: Deals <deals@spammer.example>',
    'To: victim@recipient.example',
    'Subject: cheap watches',
    `Message-ID: <${n}@spammer.example>`,
    'Date: Mon, 2 Mar 2026 09:59:00 +0000',
    '',
    'buy now',
    '',
  ].join('\r\n');

describe('reputation through the real pipeline (SMTP → worker → lookup)', () => {
  let svc: TestService;
  let ds: DataSource;

  before(async () => {
    svc = await startTestService({ ROLES: 'api,smtp,worker', LIST_THRESHOLD: '2.9', LIST_MIN_REPORTERS: '3', PUBLIC_URL: 'https://rep.example' });
    ds = await testDataSource();
  });
  after(async () => {
    await svc.stop();
    await ds.destroy();
  });
  beforeEach(() => truncateAll(ds));

  it('lists the outside sender once three verified recipients have redirected its spam to their personal addresses', async () => {
    const lookup = async () =>
      (await (await fetch(`${svc.url}/v1/lookup/203.0.113.77`, { headers: { authorization: await bearer(ds, 'platform') } })).json()) as {
        listed: boolean;
        smtpResponse: string | null;
      };
    for (const [i, who] of ['ann@recipient.example', 'bob@recipient.example', 'cy@recipient.example'].entries()) {
      const res = await sendRaw(svc.smtpPort!, { from: who, to: [await personalAddressFor(ds, who)], raw: Buffer.from(SPAM(i)) });
      expect(res.ok, res.response).to.equal(true);
      if (i === 1) {
        await waitUntil(async () => {
          const [r] = await ds.query(`SELECT count(*)::int AS n FROM reputation_events WHERE kind = 'ip' AND key = '203.0.113.77'`);
          return r.n === 2 ? true : undefined;
        }, 'two reports scored');
        expect((await lookup()).listed).to.equal(false);
      }
    }
    const listed = await waitUntil(async () => {
      const l = await lookup();
      return l.listed ? l : undefined;
    }, 'the listing to reach the lookup');
    expect(listed.smtpResponse).to.equal('550 5.7.606 Access denied, banned sending IP [203.0.113.77]. To request removal, visit https://rep.example/sender/delist?ip=203.0.113.77');
    const reporters: { reporter: string }[] = await ds.query(`SELECT reporter FROM reputation_reporters WHERE kind = 'ip' ORDER BY reporter`);
    expect(reporters.map((r) => r.reporter)).to.deep.equal(['ann@recipient.example', 'bob@recipient.example', 'cy@recipient.example']);
    const [domain] = await ds.query(`SELECT score FROM reputation_subjects WHERE kind = 'domain' AND key = 'spammer.example'`);
    expect(domain.score).to.be.greaterThan(2.9);
  });
});
