import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { analyzeSubmission } from '../../../shared/analysis/analyze.ts';
import type { Analysis, AnalyzedReport } from '../../../shared/analysis/types.ts';
import type { CompiledTenancy } from '../../../shared/tenancy/compiled-tenancy.ts';
import { compileTenancy } from '../../../shared/tenancy/compile-tenancy.ts';
import { loadTenancyFile } from '../../../shared/tenancy/parse-tenancy.ts';
import { contosoTenancy } from './helpers.ts';

/**
 * Issue 13: attribution on real-shaped Microsoft 365 mail. Each .eml in test/fixtures/attribution says
 * what it shows in its `Comments:` header. Three tenancies: the demo one (Exchange Online's ranges, egress
 * ranges, sender-tenant header, header firewall), the same without the firewall, and the plain test one
 * (none of those), so every case shows what the new configuration changes and what holds without it.
 */
const demoFile = loadTenancyFile(fileURLToPath(new URL('../../../examples/demo-tenancy.yaml', import.meta.url)));
const DEMO = compileTenancy(demoFile);
/** The demo tenancy with the position rule instead of the header firewall. */
const NO_FIREWALL = compileTenancy({ ...demoFile, platform: { ...demoFile.platform, headerFirewall: false } });
const PLAIN = contosoTenancy();
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/attribution/${name}`, import.meta.url));

async function analysis(name: string, tenancy: CompiledTenancy): Promise<Analysis> {
  return analyzeSubmission(fixture(name), tenancy);
}
async function only(name: string, tenancy: CompiledTenancy): Promise<AnalyzedReport> {
  const a = await analysis(name, tenancy);
  expect(a.reports, name).to.have.length(1);
  return a.reports[0]!;
}
const pick = (r: AnalyzedReport) => ({
  direction: r.direction, relayIp: r.relayIp, originatingIp: r.originatingIp, viaPlatform: r.viaPlatform,
  tenant: r.tenant, tenantConfidence: r.tenantConfidence, recipientTenant: r.recipientTenant, conflict: r.conflict,
});
const lines = (r: AnalyzedReport, rule: string) => r.evidence.filter((l) => l.includes(`[${rule}]`));

describe('attribution on Microsoft 365 mail (issue 13)', () => {
  describe('platform-to-platform: the sender tenant, not the recipient\'s', () => {
    it('names the sending tenant from the sender-tenant header, the recipient from the tenant header, the egress as relay', async () => {
      const r = await only('platform-to-platform.eml', DEMO);
      expect(pick(r)).to.deep.equal({
        direction: 'outbound', relayIp: '40.107.71.128', originatingIp: '203.0.113.98', viaPlatform: true,
        tenant: 'fabrikam', tenantConfidence: 'high', recipientTenant: 'contoso', conflict: false,
      });
      expect(lines(r, 'platform-to-platform.egress')[0]).to.match(/^hop 2 .*egressNetworks/);
      expect(lines(r, 'outbound.originating-header')[0]).to.contain('203.0.113.98');
      expect(lines(r, 'tenant.recipient')[0]).to.contain('contoso');
    });

    it('without sender-tenant headers or egress ranges: still never the recipient\'s tenant', async () => {
      const r = await only('platform-to-platform.eml', PLAIN);
      expect(pick(r)).to.deep.include({ direction: 'outbound', viaPlatform: true, tenant: null, tenantConfidence: null, recipientTenant: 'contoso' });
      // No egress ranges: the first platform address, the receiving side's own, as the evidence says.
      expect(r.relayIp).to.equal('2603:10b6:510:1c0::7');
      expect(lines(r, 'platform-to-platform.egress')[0]).to.contain('platform.egressNetworks is not configured');
    });

    it('a forged copy from an outside sender names no tenant: the platform recorded the outside address', async () => {
      for (const tenancy of [DEMO, NO_FIREWALL, PLAIN]) {
        const r = await only('platform-to-platform-forged.eml', tenancy);
        expect(pick(r)).to.deep.equal({
          direction: 'inbound', relayIp: '198.51.100.66', originatingIp: '198.51.100.66', viaPlatform: false,
          tenant: null, tenantConfidence: null, recipientTenant: null, conflict: false,
        });
      }
      // Without the firewall, the forged sender-tenant header below the sender's hop is named as ignored.
      const positional = await only('platform-to-platform-forged.eml', NO_FIREWALL);
      expect(positional.evidence.some((l) => l.includes('[tenant.untrusted-header]') && l.includes('9d3e1c52'))).to.equal(true);
    });

    it('a sender-tenant header whose entry is missing or names no tenant is evidence only', async () => {
      const raw = fixture('platform-to-platform.eml').toString('latin1');
      for (const [from, to] of [['TenantId=9d3e1c52', 'TenantKey=9d3e1c52'], ['TenantId=9d3e1c52-7a4b', 'TenantId=00000000-7a4b']]) {
        const [r] = (await analyzeSubmission(Buffer.from(raw.replace(from!, to!), 'latin1'), DEMO)).reports;
        expect(pick(r!)).to.deep.include({ tenant: null, recipientTenant: 'contoso', relayIp: '40.107.71.128' });
        expect(lines(r!, 'tenant.unknown-id').join('\n')).to.contain('originalattributedtenantconnectingip');
      }
    });

    it('a platform signature covering the recipient-side tenant header still does not name the sender', async () => {
      // A platform signature by a key of the tenancy file, over both Exchange headers (as an ARC seal added
      // on receipt would be): the signed tenant header is the receiving side's, the signed sender-tenant
      // header gives the sender's tenant `verified`.
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const signed = compileTenancy({
        ...demoFile,
        platform: { ...demoFile.platform, signingDomains: [{ domain: 'signing.outlook.com', selector: 'p13', publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() }] },
      });
      const raw = fixture('platform-to-platform.eml');
      const key = { signingDomain: 'signing.outlook.com', selector: 'p13', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
      const { signatures } = await dkimSign(raw, {
        ...key, signatureData: [key], signTime: new Date('2025-11-26T09:00:03Z'),
        // mailauth reads the list as a colon-separated string, whatever its typings say.
        headerList: 'from:subject:x-ms-exchange-crosstenant-id:x-ms-exchange-crosstenant-originalattributedtenantconnectingip' as unknown as string[],
      });
      expect(signatures).to.match(/^DKIM-Signature: .*d=signing\.outlook\.com.*x-ms-exchange-crosstenant-id/is);
      const [r] = (await analyzeSubmission(Buffer.concat([Buffer.from(signatures), raw]), signed)).reports;
      expect(pick(r!)).to.deep.include({ tenant: 'fabrikam', tenantConfidence: 'verified', recipientTenant: 'contoso', conflict: false });
      expect(lines(r!, 'tenant.verified').join('\n')).to.contain('originalattributedtenantconnectingip').and.not.contain('contoso');
    });
  });

  describe('the header firewall', () => {
    it('trusts the tenant headers Exchange writes below an on-premises server\'s hop in mail that left through the platform', async () => {
      const r = await only('firewall-connector.eml', DEMO);
      expect(pick(r)).to.deep.equal({
        direction: 'outbound', relayIp: '40.107.243.107', originatingIp: '203.0.113.120', viaPlatform: true,
        tenant: 'contoso', tenantConfidence: 'high', recipientTenant: null, conflict: false,
      });
      expect(lines(r, 'tenant.firewall')).to.have.length(1);
      expect(lines(r, 'tenant.high').join('\n')).to.contain('header firewall');
    });

    it('without it, the same headers below the walk\'s end are ignored (position rule)', async () => {
      const r = await only('firewall-connector.eml', NO_FIREWALL);
      expect(pick(r)).to.deep.include({ direction: 'outbound', relayIp: '40.107.243.107', originatingIp: '203.0.113.120', tenant: null });
      expect(lines(r, 'tenant.untrusted-header')).to.have.length(2);
    });

    it('ignores forged copies below a foreign sender even with the firewall: no platform egress in the trusted part', async () => {
      const r = await only('firewall-forged-foreign.eml', DEMO);
      expect(pick(r)).to.deep.equal({
        direction: 'foreign', relayIp: '198.51.100.70', originatingIp: '198.51.100.70', viaPlatform: false,
        tenant: null, tenantConfidence: null, recipientTenant: null, conflict: false,
      });
      expect(lines(r, 'tenant.firewall')).to.deep.equal([]);
      expect(lines(r, 'tenant.untrusted-header')).to.have.length(2);
    });

    it('reads the receiving side\'s tenant header at the bottom of inbound mail as the recipient\'s tenant', async () => {
      const demo = await only('inbound-exchange.eml', DEMO);
      expect(pick(demo)).to.deep.equal({
        direction: 'inbound', relayIp: '198.51.100.140', originatingIp: '198.51.100.140', viaPlatform: false,
        tenant: null, tenantConfidence: null, recipientTenant: 'contoso', conflict: false,
      });
      const plain = await only('inbound-exchange.eml', PLAIN);
      expect(pick(plain)).to.deep.include({ direction: 'inbound', tenant: null, recipientTenant: null });
    });

    it('takes a tenant header below the client hop of outbound mail as genuine (the trade the firewall makes)', async () => {
      // forged-tenant-outbound.eml: without the firewall the fabrikam header is ignored (fixtures.test.ts).
      const r = await only('forged-tenant-outbound.eml', DEMO);
      expect(pick(r)).to.deep.include({ tenant: 'fabrikam', tenantConfidence: 'high', conflict: true });
    });
  });

  describe('machine-generated mail is reported; only automatic replies to us are discarded', () => {
    it('phishing through a notification service, posted directly: direct, with its report', async () => {
      const a = await analysis('auto-generated-phishing.eml', DEMO);
      expect(a.kind).to.equal('direct');
      expect(a.reports).to.have.length(1);
      expect(a.reports[0]!).to.deep.include({ direction: 'foreign', relayIp: '198.51.100.150', messageId: '<share-4711@notify.docshare.example>' });
    });

    it('the same phishing forwarded as an attachment: forward, with its report', async () => {
      const attached = fixture('auto-generated-phishing.eml').toString('utf8');
      const raw = [
        'From: Victim <victim@example.org>', 'To: abuse@platform.example', 'Subject: Fwd: phishing', 'Date: Wed, 26 Nov 2025 15:10:00 +0000',
        'Message-ID: <fwd-4711@example.org>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
        '--b', 'Content-Type: text/plain', '', 'Phishing, see attached.', '--b', 'Content-Type: message/rfc822', 'Content-Disposition: attachment', '',
        attached, '--b--', '',
      ].join('\n');
      const a = await analyzeSubmission(Buffer.from(raw), DEMO);
      expect(a.kind).to.equal('forward');
      expect(a.reports.map((r) => r.messageId)).to.deep.equal(['<share-4711@notify.docshare.example>']);
    });

    it('an auto-generated answer to a message of ours: auto-reply, no report', async () => {
      const a = await analysis('auto-generated-reply.eml', DEMO);
      expect(a.kind).to.equal('auto-reply');
      expect(a.reports).to.deep.equal([]);
      expect(a.reason).to.contain('In-Reply-To');
    });
  });

  describe('smaller gaps', () => {
    it('every hop a trusted relay: X-Originating-IP names the client (originatingIp, foreign, no relay)', async () => {
      const r = await only('webmail-trusted-relays.eml', PLAIN);
      expect(pick(r)).to.deep.equal({
        direction: 'foreign', relayIp: null, originatingIp: '198.51.100.31', viaPlatform: false,
        tenant: null, tenantConfidence: null, recipientTenant: null, conflict: false,
      });
      expect(lines(r, 'trusted.originating-header').join('\n')).to.contain('X-Originating-IP'.toLowerCase());
    });

    it('without trusted relays the same chain is walked as before (the header is not read)', async () => {
      const r = await only('webmail-trusted-relays.eml', DEMO);
      expect(pick(r)).to.deep.include({ direction: 'foreign', relayIp: '192.0.2.241', originatingIp: '192.0.2.241' });
      expect(lines(r, 'trusted.originating-header')).to.deep.equal([]);
    });

    it('the demo tenancy knows Exchange Online\'s mail-flow ranges and the relay pool', () => {
      for (const ip of ['40.92.1.1', '40.93.255.1', '40.95.12.7', '40.107.1.1', '52.100.1.1', '52.103.255.1', '104.47.127.1', '2a01:111:f400::1', '2a01:111:f403:c000::1']) {
        expect(DEMO.platformNetworks.has(ip), ip).to.equal(true);
        expect(DEMO.egressNetworks.has(ip), ip).to.equal(true);
      }
      // Datacenter addresses are the platform's, not its egress.
      expect(DEMO.platformNetworks.has('2603:10b6:510:1c0::7')).to.equal(true);
      expect(DEMO.egressNetworks.has('2603:10b6:510:1c0::7')).to.equal(false);
      expect(DEMO.originatingIpHeaders).to.include('x-ms-exchange-crosstenant-originalattributedtenantconnectingip');
      expect(DEMO.headerFirewall).to.equal(true);
    });
  });
});
