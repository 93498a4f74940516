import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import type { SMTPServerSession } from 'smtp-server';
import { parseIntakeAddresses } from '../../api/smtp/intake-addresses.ts';
import { parseTrapAddresses, trapFor } from '../../api/smtp/trap-addresses.ts';
import { TrapRecipients } from '../../api/smtp/trap-recipients.ts';
import { trapClientKey } from '../../api/smtp/client-limits.ts';
import { receivedHeader } from '../../api/smtp/received-header.ts';
import { analyzeTrapHit } from '../../shared/analysis/trap-hit.ts';
import { compileTenancy } from '../../shared/tenancy/compile-tenancy.ts';
import { loadTenancyFile } from '../../shared/tenancy/parse-tenancy.ts';
import { trapTrust } from '../../shared/trust/channel-trust.ts';

const INTAKE = parseIntakeAddresses('spam@reports.localhost,abuse@reports.localhost');
const tenancy = compileTenancy(loadTenancyFile(fileURLToPath(new URL('trap-tenancy.yaml', import.meta.url))));

/** A message as the front door stores it: our Received header on top of what the client sent. */
function asStored(clientIp: string, lines: string[]): Buffer {
  const ours = receivedHeader({ clientIp, helo: 'bulk.spammer.example', ourHost: 'mx.reports.localhost', protocol: 'ESMTP', id: 'a.1', recipient: null, date: new Date('2026-03-02T10:00:00Z') });
  return Buffer.from(ours + lines.join('\r\n') + '\r\n');
}

/** The recipients smtp-server has accepted so far, which is all TrapRecipients reads of a session. */
function session(...rcpts: string[]): SMTPServerSession {
  return { envelope: { mailFrom: false, rcptTo: rcpts.map((address) => ({ address, args: false })) } } as unknown as SMTPServerSession;
}

describe('TRAP_ADDRESSES', () => {
  it('are normalised to lower case, blanks and empty entries ignored', () => {
    const traps = parseTrapAddresses(' Trap1@Traps.Example ,, hidden@reports.localhost ', INTAKE);
    expect([...traps]).to.deep.equal(['trap1@traps.example', 'hidden@reports.localhost']);
    expect(trapFor(traps, 'TRAP1@traps.example')).to.equal('trap1@traps.example');
    expect(trapFor(traps, 'spam@reports.localhost')).to.equal(undefined);
    expect(parseTrapAddresses(undefined, INTAKE).size).to.equal(0);
  });

  it('refuse an address that is also an intake address, with a start-up error naming both variables', () => {
    expect(() => parseTrapAddresses('trap@traps.example,SPAM@reports.localhost', INTAKE))
      .to.throw(/TRAP_ADDRESSES: spam@reports\.localhost is also in INTAKE_ADDRESSES/).with.property('code', 'config_invalid');
  });

  it('refuse a personal-reporting-address form and anything that is not an address', () => {
    expect(() => parseTrapAddresses('report+abc@reports.localhost', INTAKE)).to.throw(/personal reporting address/);
    for (const bad of ['not-an-address', 'a@', '@b.example', 'a b@c.example', `${'x'.repeat(250)}@c.example`]) {
      expect(() => parseTrapAddresses(bad, INTAKE), bad).to.throw().with.property('code', 'config_invalid');
    }
  });

  it('are one identity at feed trust, whichever trap was hit', () => {
    expect(trapTrust()).to.deep.equal({ trust: 'feed', identity: 'trap', feedbackLoop: null });
  });
});

describe('one transaction is a trap hit or a report, by the envelope alone', () => {
  const traps = new TrapRecipients(parseTrapAddresses('trap1@traps.example,trap2@traps.example', INTAKE));
  const acceptable = (r: string) => INTAKE.has(r.toLowerCase());

  it('takes several traps in one transaction as one trap hit', () => {
    const s = session('trap2@traps.example');
    expect(traps.refuseMixing(s, 'trap1@traps.example', acceptable)).to.equal(null);
    expect(traps.hasTrap(session('trap2@traps.example', 'trap1@traps.example'))).to.equal(true);
  });

  it('answers an intake address after a trap, and a trap after an intake address, with the 452 text', () => {
    expect(traps.refuseMixing(session('trap1@traps.example'), 'spam@reports.localhost', acceptable)).to.match(/separate transaction/);
    expect(traps.refuseMixing(session('spam@reports.localhost'), 'TRAP1@traps.example', acceptable)).to.match(/separate transaction/);
    expect(traps.refuseMixing(session(), 'trap1@traps.example', acceptable)).to.equal(null);
  });

  it('leaves an unknown recipient in a trap transaction to its 550', () => {
    expect(traps.refuseMixing(session('trap1@traps.example'), 'nobody@reports.localhost', acceptable)).to.equal(null);
  });
});

describe('the trap budget\'s client key', () => {
  it('is the IPv4 address, or the IPv6 /64', () => {
    expect(trapClientKey('198.51.100.7')).to.equal('198.51.100.7');
    expect(trapClientKey('::ffff:198.51.100.7')).to.equal('198.51.100.7');
    expect(trapClientKey('2001:db8:1:2:aaaa::1')).to.equal('2001:db8:1:2::/64');
    expect(trapClientKey('2001:DB8:1:2:bbbb:cccc:dddd:eeee')).to.equal('2001:db8:1:2::/64');
    expect(trapClientKey('2001:db8::1')).to.equal('2001:db8:0:0::/64');
  });
});

describe('analyzeTrapHit: the connecting client is the origin', () => {
  const spam = (extra: string[] = []) => [
    // Written by the sender: a hop naming someone else, which a forward's walk would take as the origin.
    'Received: from innocent.example (innocent.example [198.51.100.77]) by mx.victim.example; Mon, 2 Mar 2026 09:59:00 +0000',
    ...extra,
    'From: Deals <deals@spammer.example>',
    'To: trap1@traps.example',
    'Subject: cheap watches',
    'Message-ID: <t1@spammer.example>',
    '',
    'buy now',
  ];

  it('attributes to the client, never to an address in the message\'s Received lines', async () => {
    const a = await analyzeTrapHit(asStored('203.0.113.9', spam()), tenancy, { clientIp: '203.0.113.9' });
    expect(a.kind).to.equal('direct');
    expect(a.reports).to.have.length(1);
    const r = a.reports[0]!;
    expect([r.relayIp, r.originatingIp, r.viaPlatform, r.direction, r.decidingHop, r.tenant]).to.deep.equal(['203.0.113.9', '203.0.113.9', false, 'foreign', 0, null]);
    expect(r.hops.map((h) => h.ip)).to.deep.equal(['203.0.113.9', '198.51.100.77']);
    expect(r.evidence[0]).to.match(/^hop 0 \[trap\.hit\] .*connecting client 203\.0\.113\.9 is the relay and the origin/);
    expect([r.subject, r.from, r.sendingDomain, r.reporter, r.feedbackType]).to.deep.equal(['cheap watches', 'deals@spammer.example', 'spammer.example', null, null]);
  });

  it('takes a message that looks like a forward or an ARF report as the spam itself: nothing is unwrapped', async () => {
    const forward = [
      'From: someone@spammer.example', 'To: trap1@traps.example', 'Subject: Fwd: look', 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'see attached', '--b',
      'Content-Type: message/rfc822', '', 'Received: from x ([192.0.2.44]) by y; Mon, 2 Mar 2026 09:00:00 +0000',
      'From: other@elsewhere.example', 'Subject: inner', '', 'inner body', '--b--',
    ];
    const a = await analyzeTrapHit(asStored('203.0.113.10', forward), tenancy, { clientIp: '203.0.113.10' });
    expect(a.reports.map((r) => [r.originatingIp, r.subject])).to.deep.equal([['203.0.113.10', 'Fwd: look']]);
  });

  it('gives no report for a bounce to a trap (backscatter)', async () => {
    const bounce = [
      'From: MAILER-DAEMON@mx.other.example', 'To: trap1@traps.example', 'Subject: Undelivered Mail Returned to Sender',
      'Auto-Submitted: auto-replied', 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '',
      '--b', 'Content-Type: text/plain', '', 'This is the mail system. I\'m sorry to have to inform you that your message could not be delivered.',
      '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.other.example', '', 'Final-Recipient: rfc822; x@other.example', 'Action: failed', 'Status: 5.1.1', '--b--',
    ];
    const a = await analyzeTrapHit(asStored('203.0.113.11', bounce), tenancy, { clientIp: '203.0.113.11' });
    expect(a.reports).to.deep.equal([]);
    expect(a.reason).to.match(/^trap: .*backscatter/);
  });

  it('a client inside platform.networks is the platform relaying a tenant\'s mail: viaPlatform, the tenant from the platform-written headers', async () => {
    const fromPlatform = [
      'X-MS-Exchange-CrossTenant-Id: 5f6c8a1e-2b3d-4c7e-9a10-8e2f4b6d1c37',
      'Received: from laptop ([198.51.100.50]) by mail.outlook.com; Mon, 2 Mar 2026 09:59:00 +0000',
      'From: ann@contoso.com', 'To: trap1@traps.example', 'Subject: offer', '', 'hi',
    ];
    const a = await analyzeTrapHit(asStored('40.107.1.2', fromPlatform), tenancy, { clientIp: '40.107.1.2' });
    const r = a.reports[0]!;
    expect([r.relayIp, r.originatingIp, r.viaPlatform, r.direction, r.tenant, r.tenantConfidence]).to.deep.equal(['40.107.1.2', '40.107.1.2', true, 'outbound', 'contoso', 'high']);
    expect(r.evidence.join('\n')).to.match(/trap\.platform/);
  });

  it('a tenant header in mail from an outside client names no tenant', async () => {
    const a = await analyzeTrapHit(asStored('203.0.113.12', spam(['X-MS-Exchange-CrossTenant-Id: 5f6c8a1e-2b3d-4c7e-9a10-8e2f4b6d1c37'])), tenancy, { clientIp: '203.0.113.12' });
    expect([a.reports[0]!.tenant, a.reports[0]!.viaPlatform]).to.deep.equal([null, false]);
  });
});
