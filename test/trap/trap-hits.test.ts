import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { bearer, startTestService, useTestService } from '../helpers/service.ts';
import { waitUntil } from '../helpers/db.ts';
import { sendRaw } from '../intake/smtp-client.ts';
import { waitAllProcessed } from '../trust/helpers.ts';
import { RawSmtp } from '../intake/smtp-client.ts';

const TENANCY = fileURLToPath(new URL('trap-tenancy.yaml', import.meta.url));
const TRAPS = 'trap1@traps.example,Trap2@Traps.Example,trap3@reports.localhost';

/**
 * A spam as a spammer sends it to a trap. Its own Received line names 198.51.100.77: a forward's
 * walk would take that as the origin; a trap hit must not (the sender wrote it). `headers` adds
 * recipient headers, which must never decide anything.
 */
function spam(n: string, headers: string[] = ['To: trap1@traps.example']): Buffer {
  return Buffer.from([
    'Received: from innocent.example (innocent.example [198.51.100.77]) by mx.victim.example; Mon, 2 Mar 2026 09:59:00 +0000',
    'From: Deals <deals@spammer.example>',
    ...headers,
    `Subject: cheap watches ${n}`,
    `Message-ID: <${n}@spammer.example>`,
    'Date: Mon, 2 Mar 2026 09:59:00 +0000',
    '',
    'buy now',
    '',
  ].join('\r\n'));
}

interface Row {
  channel: string; reporter: string | null; reporter_trust: string; reporter_identity: string | null; client_ip: string;
  s_helo: string | null; envelope_from: string | null; envelope_to: string[]; r_channel: string | null; originating_ip: string | null;
  relay_ip: string | null; r_trust: string | null; r_reporter: string | null; r_helo: string | null; r_mail_from: string | null;
  via_platform: boolean | null; tenant_id: string | null; kind: string | null; status: string;
}

describe('spam-trap hits over real SMTP, processed by the worker', () => {
  // Low listing thresholds (three distinct reporters, score 2.9) and a trap budget of 5 per client per hour.
  const f = useTestService(
    { ROLES: 'api,smtp,worker', TENANCY_FILE: TENANCY, TRAP_ADDRESSES: TRAPS, TRAP_HITS_PER_IP_PER_HOUR: '5', LIST_THRESHOLD: '2.9', LIST_MIN_REPORTERS: '3' },
    { keepTables: ['tenancy_state', 'tenants'] },
  );
  const send = (from: string, to: string[], raw: Buffer, localAddress: string) => sendRaw(f.svc.smtpPort!, { from, to, raw, localAddress });
  const rows = (): Promise<Row[]> => f.ds.query(
    `SELECT s.channel, s.reporter, s.reporter_trust, s.reporter_identity, host(s.client_ip) AS client_ip, s.smtp_helo AS s_helo,
            s.envelope_from, s.envelope_to, s.status, r.channel AS r_channel, host(r.originating_ip) AS originating_ip,
            host(r.relay_ip) AS relay_ip, r.reporter_trust AS r_trust, r.reporter AS r_reporter, r.smtp_helo AS r_helo,
            r.smtp_mail_from AS r_mail_from, r.via_platform, r.tenant_id, r.kind
       FROM submissions s LEFT JOIN reports r ON r.submission_id = s.id ORDER BY s.received_at, s.id`);
  const ipSubjects = (): Promise<{ key: string; score: number; platform: boolean }[]> =>
    f.ds.query(`SELECT key, score, platform FROM reputation_subjects WHERE kind = 'ip' ORDER BY key`);

  it('is a feed complaint about the connecting client, with its HELO and MAIL FROM; no reporter, and the message\'s own chain is not read', async () => {
    const r = await send('bulk@spammer.example', ['Trap1@Traps.Example'], spam('a'), '127.0.0.5');
    expect(r.ok, r.response).to.equal(true);
    await waitAllProcessed(f.ds, 1);
    const [row] = await rows();
    expect(row).to.deep.include({
      channel: 'trap', reporter: null, reporter_trust: 'feed', reporter_identity: 'trap', client_ip: '127.0.0.5',
      s_helo: 'client.test.example', envelope_from: 'bulk@spammer.example', envelope_to: ['trap1@traps.example'], status: 'processed',
      r_channel: 'trap', originating_ip: '127.0.0.5', relay_ip: '127.0.0.5', r_trust: 'feed', r_reporter: null,
      r_helo: 'client.test.example', r_mail_from: 'bulk@spammer.example', via_platform: false, kind: 'direct',
    });
    // Reputation moved for the client, as the trap's identity; nothing for the address the sender wrote.
    const subjects = await ipSubjects();
    expect(subjects.map((s) => s.key)).to.deep.equal(['127.0.0.5']);
    expect(subjects[0]!.score).to.be.greaterThan(0.9);
    const events: { reporter: string; weight: number }[] = await f.ds.query(`SELECT reporter, weight FROM reputation_events WHERE kind = 'ip'`);
    expect(events).to.deep.equal([{ reporter: 'trap', weight: 1 }]);
    // Our Received header names the client and its HELO, and never the trap (no `for <…>`).
    const [raw]: { top: string }[] = await f.ds.query(
      `SELECT convert_from(substring(m.content FROM 1 FOR 300), 'LATIN1') AS top FROM raw_messages m JOIN submissions s ON s.raw_sha256 = m.sha256`);
    expect(raw!.top).to.match(/^Received: from client\.test\.example \(\[127\.0\.0\.5\]\)/);
    expect(raw!.top.split('\r\n\r\n')[0]!.split('From: Deals')[0]).to.not.match(/for </);
  });

  it('all traps are one witness: a client hitting one trap or three is one reporter repeating itself, never listed by traps alone', async () => {
    // Trap addresses are meant to be harvested: anyone can mail three of them from a big provider's
    // account. Three traps must not be three reporters, or that provider's shared server gets listed.
    for (let i = 0; i < 3; i++) expect((await send('bulk@spammer.example', ['trap1@traps.example'], spam(`f${i}`), '127.0.0.6')).ok).to.equal(true);
    await waitAllProcessed(f.ds, 3);
    const [one] = await ipSubjects();
    expect(one!.score).to.be.within(1.7, 1.76); // 1 + ½ + ¼, decayed a little

    expect((await send('bulk@spammer.example', ['trap2@traps.example'], spam('f3', []), '127.0.0.6')).ok).to.equal(true);
    expect((await send('bulk@spammer.example', ['trap3@reports.localhost'], spam('f4', []), '127.0.0.6')).ok).to.equal(true);
    await waitAllProcessed(f.ds, 5);
    const [five] = await ipSubjects();
    expect(five!.score).to.be.within(1.9, 2); // 1 + ½ + ¼ + ⅛ + 1/16: the same witness five times
    expect(await f.ds.query(`SELECT reporter FROM reputation_reporters WHERE kind = 'ip'`)).to.deep.equal([{ reporter: 'trap' }]);
    expect(await f.ds.query(`SELECT 1 FROM listings`)).to.deep.equal([]);
  });

  it('is judged by the envelope alone: headers naming a trap make an ordinary report, headers naming the intake address do not stop a trap hit', async () => {
    const trapHeaders = ['To: trap1@traps.example', 'Delivered-To: trap1@traps.example', 'X-Original-To: trap2@traps.example'];
    expect((await send('someone@example.org', ['spam@reports.localhost'], spam('h1', trapHeaders), '127.0.0.7')).ok).to.equal(true);
    await waitAllProcessed(f.ds, 1);
    const intakeHeaders = ['To: spam@reports.localhost', 'Delivered-To: spam@reports.localhost', 'X-Original-To: abuse@reports.localhost'];
    expect((await send('bulk@spammer.example', ['trap2@traps.example'], spam('h2', intakeHeaders), '127.0.0.7')).ok).to.equal(true);
    await waitAllProcessed(f.ds, 2);
    const [report, hit] = await rows();
    // The forward's ordinary walk (anonymous: it moves nothing), its origin read from the chain as for any report.
    expect([report!.channel, report!.reporter_trust, report!.r_channel, report!.originating_ip, report!.r_helo]).to.deep.equal(['smtp', 'anonymous', 'smtp', '198.51.100.77', null]);
    expect([hit!.channel, hit!.reporter_trust, hit!.reporter_identity, hit!.originating_ip]).to.deep.equal(['trap', 'feed', 'trap', '127.0.0.7']);
    expect((await ipSubjects()).map((s) => s.key)).to.deep.equal(['127.0.0.7']);
  });

  it('never mixes a trap and an intake address in one transaction: the other kind gets 452 and comes in its own transaction; unknown recipients get 550', async () => {
    const { smtp: c, greeting } = await RawSmtp.open(f.svc.smtpPort!, '127.0.0.8');
    expect(greeting).to.match(/^220 /);
    try {
      expect(await c.command('EHLO mixer.example')).to.match(/^250 /);
      expect(await c.command('MAIL FROM:<bulk@spammer.example>')).to.match(/^250 /);
      expect(await c.command('RCPT TO:<trap1@traps.example>')).to.match(/^250 /);
      expect(await c.command('RCPT TO:<spam@reports.localhost>')).to.match(/^452 .*separate transaction/);
      expect(await c.command('RCPT TO:<nobody@reports.localhost>')).to.match(/^550 /);
      expect(await c.command('RCPT TO:<trap2@traps.example>')).to.match(/^250 /);
      expect(await c.data(spam('m1').toString('latin1'))).to.match(/^250 /);
      // The client delivers the deferred recipient in a new transaction: an ordinary report.
      expect(await c.command('MAIL FROM:<bulk@spammer.example>')).to.match(/^250 /);
      expect(await c.command('RCPT TO:<spam@reports.localhost>')).to.match(/^250 /);
      expect(await c.command('RCPT TO:<trap1@traps.example>')).to.match(/^452 /);
      expect(await c.data(spam('m2').toString('latin1'))).to.match(/^250 /);
    } finally {
      await c.quit();
    }
    await waitAllProcessed(f.ds, 2);
    const [hit, report] = await rows();
    expect([hit!.channel, hit!.envelope_to, hit!.reporter_identity, hit!.s_helo, hit!.originating_ip]).to.deep.equal(
      ['trap', ['trap1@traps.example', 'trap2@traps.example'], 'trap', 'mixer.example', '127.0.0.8']);
    expect([report!.channel, report!.envelope_to, report!.reporter_trust]).to.deep.equal(['smtp', ['spam@reports.localhost'], 'anonymous']);
    // One trap hit for the transaction, however many traps it named.
    expect((await f.ds.query(`SELECT count(*)::int AS n FROM reputation_events WHERE kind = 'ip'`))[0].n).to.equal(1);
  });

  it('still refuses recipients that are neither intake addresses nor traps', async () => {
    for (const to of ['nobody@traps.example', 'trap1@traps.example.evil', 'trap1@other.example']) {
      const r = await send('bulk@spammer.example', [to], spam('u'), '127.0.0.11');
      expect([r.ok, r.code], to).to.deep.equal([false, 550]);
    }
    expect(await rows()).to.deep.equal([]);
  });

  it('bounds a flood: beyond TRAP_HITS_PER_IP_PER_HOUR a client gets 450 and nothing is stored; other clients are not affected', async () => {
    const answers: (number | null)[] = [];
    for (let i = 0; i < 7; i++) answers.push((await send('bulk@spammer.example', ['trap1@traps.example'], spam(`x${i}`), '127.0.0.9')).code);
    expect(answers).to.deep.equal([250, 250, 250, 250, 250, 450, 450]);
    expect((await send('bulk@spammer.example', ['trap1@traps.example'], spam('y'), '127.0.0.10')).code).to.equal(250);
    // The same client still reaches the intake addresses: only its trap hits are budgeted.
    expect((await send('bulk@spammer.example', ['spam@reports.localhost'], spam('z'), '127.0.0.9')).code).to.equal(250);
    await waitAllProcessed(f.ds, 7);
    const perClient: { ip: string; channel: string; n: number }[] = await f.ds.query(
      `SELECT host(client_ip) AS ip, channel, count(*)::int AS n FROM submissions GROUP BY 1, 2 ORDER BY 1, 2`);
    expect(perClient).to.deep.equal([{ ip: '127.0.0.10', channel: 'trap', n: 1 }, { ip: '127.0.0.9', channel: 'smtp', n: 1 }, { ip: '127.0.0.9', channel: 'trap', n: 5 }]);
  });

  it('from the platform\'s relay: attributed to the relay, a platform address (scored, never listed)', async () => {
    const raw = Buffer.from([
      'X-MS-Exchange-CrossTenant-Id: 5f6c8a1e-2b3d-4c7e-9a10-8e2f4b6d1c37',
      'Received: from laptop ([198.51.100.50]) by mail.outlook.com; Mon, 2 Mar 2026 09:59:00 +0000',
      'From: ann@contoso.com', 'To: trap1@traps.example', 'Subject: offer', 'Message-ID: <p1@contoso.com>', '', 'hi', '',
    ].join('\r\n'));
    expect((await send('ann@contoso.com', ['trap1@traps.example'], raw, '127.0.0.3')).ok).to.equal(true);
    await waitAllProcessed(f.ds, 1);
    const [row] = await rows();
    // The tenant is attributed only when the ordinary walk reads the relay's hop as outbound, which
    // a loopback relay (an internal address to the walk) is not: trap-parts.test.ts shows it with 40.107.x.
    expect([row!.channel, row!.originating_ip, row!.relay_ip, row!.via_platform, row!.tenant_id, row!.reporter_trust]).to.deep.equal(
      ['trap', '127.0.0.3', '127.0.0.3', true, null, 'feed']);
    const subjects = await ipSubjects();
    expect(subjects.map((x) => [x.key, x.platform])).to.deep.equal([['127.0.0.3', true]]);
    expect(subjects[0]!.score).to.be.greaterThan(0.9);
    const evidence: { evidence: string[] }[] = await f.ds.query(`SELECT evidence FROM reports`);
    expect(evidence[0]!.evidence.join('\n')).to.match(/trap\.platform\] 127\.0\.0\.3 is inside platform\.networks/);
  });
  it('an analyst may demote a trap hit and restore it to feed (its channel is our own front door)', async () => {
    expect((await send('bulk@spammer.example', ['trap1@traps.example'], spam('t'), '127.0.0.12')).ok).to.equal(true);
    await waitAllProcessed(f.ds, 1);
    const id = ((await f.ds.query(`SELECT id FROM reports`)) as { id: string }[])[0]!.id;
    const headers = { authorization: await bearer(f.ds, 'analyst'), 'content-type': 'application/json' };
    const set = (trust: string) => fetch(`${f.svc.url}/v1/reports/${id}/trust`, { method: 'POST', headers, body: JSON.stringify({ trust, reason: 'checking the trap' }) });
    const standing = async () => ((await f.ds.query(`SELECT count(*)::int AS n FROM reputation_events WHERE kind = 'ip' AND withdrawn_at IS NULL`)) as { n: number }[])[0]!.n;
    expect((await set('anonymous')).status).to.equal(200);
    await waitUntil(async () => ((await standing()) === 0 ? true : undefined), 'the demotion to withdraw the event');
    expect((await set('feed')).status).to.equal(200);
    await waitUntil(async () => ((await standing()) === 1 ? true : undefined), 'the promotion to restore the event');
  });
});

describe('TRAP_ADDRESSES that overlap INTAKE_ADDRESSES', () => {
  it('stop the start with an error naming the address', async () => {
    let error: unknown = null;
    try {
      const svc = await startTestService({ ROLES: 'smtp', TRAP_ADDRESSES: 'trap@traps.example,Abuse@Reports.Localhost' });
      await svc.stop();
    } catch (err) {
      error = err;
    }
    expect(error).to.have.property('code', 'config_invalid');
    expect((error as Error).message).to.match(/TRAP_ADDRESSES: abuse@reports\.localhost is also in INTAKE_ADDRESSES/);
  });
});
