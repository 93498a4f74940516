import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { analyzeSubmission } from '../../../shared/analysis/analyze.ts';
import type { AnalyzedReport } from '../../../shared/analysis/types.ts';
import { compileTenancy } from '../../../shared/tenancy/compile-tenancy.ts';
import { loadTenancyFile } from '../../../shared/tenancy/parse-tenancy.ts';
import { contosoTenancy } from './helpers.ts';

// Hand-written cases, one per rule of the attribution contract (each .eml says what it shows in its
// first line, a `Comments:` header). All addresses are documentation or platform ranges.
const T = contosoTenancy();
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/attribution/${name}`, import.meta.url));

async function reports(name: string, tenancy = T): Promise<AnalyzedReport[]> {
  return (await analyzeSubmission(fixture(name), tenancy)).reports;
}
async function only(name: string, tenancy = T): Promise<AnalyzedReport> {
  const r = await reports(name, tenancy);
  expect(r).to.have.length(1);
  return r[0]!;
}
const pick = (r: AnalyzedReport) => ({
  direction: r.direction, relayIp: r.relayIp, originatingIp: r.originatingIp, viaPlatform: r.viaPlatform,
  tenant: r.tenant, tenantConfidence: r.tenantConfidence, conflict: r.conflict,
});

describe('attribution on hand-written messages', () => {
  describe('outbound', () => {
    it('SMTP AUTH submission: egress is relayIp, the client is originatingIp, tenant header → high', async () => {
      const r = await only('outbound-smtp.eml');
      expect(pick(r)).to.deep.equal({ direction: 'outbound', relayIp: '40.107.244.101', originatingIp: '203.0.113.7', viaPlatform: true, tenant: 'contoso', tenantConfidence: 'high', conflict: false });
      expect(r.decidingHop).to.equal(2);
      expect(r.sendingDomain).to.equal('contoso.com');
    });
    it('MAPI submission: originatingIp from the Exchange OriginalAttributedTenantConnectingIp header', async () => {
      const r = await only('outbound-mapi.eml');
      expect(pick(r)).to.deep.include({ direction: 'outbound', relayIp: '40.107.22.101', originatingIp: '198.51.100.23', tenant: 'contoso', tenantConfidence: 'high' });
      expect(r.evidence.join('\n')).to.contain('[outbound.originating-header]');
    });
    it('webmail submission: originatingIp from X-Originating-IP', async () => {
      expect(pick(await only('outbound-x-originating-ip.eml'))).to.deep.include({ originatingIp: '198.51.100.24', tenant: 'contoso', tenantConfidence: 'low' });
    });
    it('IPv6 egress', async () => {
      expect(pick(await only('ipv6-egress.eml'))).to.deep.include({ direction: 'outbound', relayIp: '2a01:111:f400:7e1b::101', originatingIp: '203.0.113.8' });
    });
  });

  describe('never trusting what is below the first untrusted hop', () => {
    it('forged platform hops, tenant header and DKIM d= below an outside sender: foreign, no tenant', async () => {
      const r = await only('forged-below.eml');
      expect(pick(r)).to.deep.equal({ direction: 'foreign', relayIp: '203.0.113.66', originatingIp: '203.0.113.66', viaPlatform: false, tenant: null, tenantConfidence: null, conflict: false });
      expect(r.evidence.join('\n')).to.contain('[tenant.untrusted-header]');
    });
    it('a tenant header written below the client hop of an outbound message is ignored', async () => {
      const r = await only('forged-tenant-outbound.eml');
      expect(r.tenant).to.equal('contoso'); // from the From domain, not the forged fabrikam header
      expect(r.tenantConfidence).to.equal('low');
      expect(r.evidence.some((l) => l.includes('[tenant.untrusted-header]') && l.includes('9d3e1c52'))).to.equal(true);
    });
  });

  describe('inbound', () => {
    it('a platform user reporting mail from outside: the sender is relay and origin, the tenant header is the recipient', async () => {
      const r = await only('inbound.eml');
      expect(pick(r)).to.deep.equal({ direction: 'inbound', relayIp: '198.51.100.50', originatingIp: '198.51.100.50', viaPlatform: false, tenant: null, tenantConfidence: null, conflict: false });
      expect(r.recipientTenant).to.equal('contoso');
    });
  });

  describe('the connecting address, not the HELO', () => {
    it('an IP-literal HELO that is not the connecting address', async () => {
      const r = await only('ip-literal-helo.eml');
      expect(r.relayIp).to.equal('198.51.100.77');
      expect(r.hops[0]!.helo).to.contain('192.0.2.99');
    });
  });

  it('a trusted relay at the top is skipped', async () => {
    const r = await only('trusted-relay.eml');
    expect(pick(r)).to.deep.include({ direction: 'foreign', relayIp: '198.51.100.90' });
    expect(r.evidence[0]).to.match(/^hop 0 \[skip\.leading\] trusted relay 192\.0\.2\.241/);
  });

  describe('forwards', () => {
    it('several message/rfc822 attachments give one report each', async () => {
      const r = await reports('several-attachments.eml');
      expect(r.map(pick)).to.deep.equal([
        { direction: 'foreign', relayIp: '198.51.100.77', originatingIp: '198.51.100.77', viaPlatform: false, tenant: null, tenantConfidence: null, conflict: false },
        { direction: 'outbound', relayIp: '40.107.244.101', originatingIp: '203.0.113.7', viaPlatform: true, tenant: 'contoso', tenantConfidence: 'high', conflict: false },
      ]);
      expect(r[0]!.reporter).to.equal('alice@example.net');
    });
    it('a forward of a forward is unwrapped to the innermost message', async () => {
      const r = await only('nested-forward.eml');
      expect(r.messageId).to.equal('<outbound-smtp-1@contoso.com>');
      expect(pick(r)).to.deep.include({ direction: 'outbound', tenant: 'contoso' });
    });
    it('an inline forward has no chain: unknown, and only the From domain may name a tenant (low)', async () => {
      const r = await only('inline-forward.eml');
      expect(pick(r)).to.deep.equal({ direction: 'unknown', relayIp: null, originatingIp: null, viaPlatform: false, tenant: 'contoso', tenantConfidence: 'low', conflict: false });
    });
  });

  describe('tenant confidence', () => {
    it('medium: an unverified DKIM d= of a tenant domain', async () => {
      expect(pick(await only('medium.eml'))).to.deep.include({ tenant: 'contoso', tenantConfidence: 'medium', conflict: false });
    });
    it('low: only the From domain', async () => {
      expect(pick(await only('low.eml'))).to.deep.include({ tenant: 'contoso', tenantConfidence: 'low' });
    });
    it('high: relayIp in a tenant\'s dedicated networks', async () => {
      expect(pick(await only('dedicated-network.eml'))).to.deep.include({ tenant: 'fabrikam', tenantConfidence: 'high' });
    });
    it('conflict: the strongest signal is kept and both are in the evidence', async () => {
      const r = await only('conflict.eml');
      expect(pick(r)).to.deep.include({ tenant: 'contoso', tenantConfidence: 'high', conflict: true });
      const line = r.evidence.find((l) => l.includes('[tenant.conflict]'));
      expect(line).to.contain('contoso').and.to.contain('fabrikam');
    });
    it('an unknown tenant id is evidence only', async () => {
      const r = await only('unknown-tenant-id.eml');
      expect(r.tenant).to.equal(null);
      expect(r.evidence.some((l) => l.includes('[tenant.unknown-id]') && l.includes('00000000-1111'))).to.equal(true);
    });
  });

  describe('verified (DKIM with the tenancy file\'s key, no DNS)', () => {
    const signed = compileTenancy(loadTenancyFile(new URL('../../fixtures/attribution/verified-tenancy.yaml', import.meta.url).pathname));
    it('a platform signature covering the tenant header verifies it, wherever the header sits', async () => {
      const r = await only('verified.eml', signed);
      expect(pick(r)).to.deep.include({ tenant: 'contoso', tenantConfidence: 'verified', conflict: true });
    });
    it('a tampered tenant header breaks the signature: no verified tenant', async () => {
      const raw = fixture('verified.eml').toString('latin1').replace('CrossTenant-Id: 5f6c8a1e-2b3d-4c7e-9a10-8e2f4b6d1c37', 'CrossTenant-Id: 9d3e1c52-7a4b-4f08-b6e1-2c5d8f9a0b14');
      const [r] = (await analyzeSubmission(Buffer.from(raw, 'latin1'), signed)).reports;
      expect(r!.tenantConfidence).to.not.equal('verified');
      expect(r!.tenant).to.not.equal('contoso');
      expect(r!.evidence.join('\n')).to.match(/did not verify: fail/);
    });
    it('without the key in the tenancy file the signature is not even checked', async () => {
      const r = await only('verified.eml');
      expect(r.tenantConfidence).to.not.equal('verified');
    });
  });

  describe('feedback loops', () => {
    const bound = async (name: string, feedbackLoop: string | null) => {
      const r = (await analyzeSubmission(fixture(name), T, { feedbackLoop })).reports;
      expect(r).to.have.length(1);
      return r[0]!;
    };
    it('Source-IP from a configured provider over a channel bound to it is the relayIp', async () => {
      const r = await bound('fbl-configured.eml', 'Example FBL');
      expect(pick(r)).to.deep.include({ direction: 'outbound', relayIp: '40.107.55.5', viaPlatform: true });
      expect(r.feedbackType).to.equal('abuse');
      expect(r.reporter).to.equal('fbl@feedback.example.net');
      expect(r.evidence.some((l) => l.includes('[fbl.configured]') && l.includes('bound'))).to.equal(true);
    });
    it('a wrapper From naming a configured loop, without the binding, is a claim: Source-IP is evidence only', async () => {
      const r = await only('fbl-configured.eml');
      expect(pick(r)).to.deep.include({ relayIp: null, viaPlatform: false });
      expect(r.evidence.some((l) => l.includes('[fbl.unconfigured]') && l.includes('names the feedback loop Example FBL, but the report did not come over a channel bound to it'))).to.equal(true);
    });
    it('a channel bound to a loop the tenancy does not have is not a binding', async () => {
      const r = await bound('fbl-configured.eml', 'Removed FBL');
      expect(r.relayIp).to.equal(null);
      expect(r.evidence.some((l) => l.includes('[fbl.unconfigured]') && l.includes('Removed FBL, which is not a configured feedback loop'))).to.equal(true);
    });
    it('Source-IP from an unconfigured provider is evidence only', async () => {
      const r = await only('fbl-unconfigured.eml');
      expect(pick(r)).to.deep.include({ direction: 'unknown', relayIp: null });
      expect(r.evidence.some((l) => l.includes('[fbl.unconfigured]') && l.includes('40.107.55.5'))).to.equal(true);
    });
  });
});
