import { expect } from 'chai';
import { parseTenancy } from '../../shared/tenancy/parse-tenancy.ts';
import { compileTenancy } from '../../shared/tenancy/compile-tenancy.ts';
import { senderTenantId } from '../../shared/analysis/attribute/tenant-headers.ts';
import { AppError } from '../../shared/errors/app-error.ts';

/**
 * The tenancy keys for real platform mail (issue 13): `platform.senderTenantHeaders`,
 * `platform.headerFirewall` and `platform.egressNetworks`: defaults, canonical form, and the errors.
 */
const PLATFORM = { networks: ['40.107.0.0/16', '2603:1000::/24'], hostnames: ['outlook.com'], tenantHeaders: ['X-MS-Exchange-CrossTenant-Id'] };
const doc = (platform: Record<string, unknown>) => JSON.stringify({ platform: { ...PLATFORM, ...platform }, tenants: [] });

function problemsOf(text: string): string[] {
  try {
    parseTenancy(text);
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return (err as AppError).details.problems as string[];
  }
  throw new Error('expected the tenancy to be rejected');
}

describe('tenancy: sender-tenant headers, header firewall, egress networks', () => {
  it('defaults to none, false and none: the position rule and today\'s walk', () => {
    const t = parseTenancy(doc({}));
    expect(t.platform.senderTenantHeaders).to.deep.equal([]);
    expect(t.platform.headerFirewall).to.equal(false);
    expect(t.platform.egressNetworks).to.deep.equal([]);
    const c = compileTenancy(t);
    expect(c.headerFirewall).to.equal(false);
    expect(c.hasEgressNetworks).to.equal(false);
    expect(c.senderTenantHeaders.size).to.equal(0);
  });

  it('reads a sender-tenant header with the key of its id entry, or without one (the whole value)', () => {
    const t = parseTenancy(doc({
      senderTenantHeaders: [{ name: 'X-MS-Exchange-CrossTenant-OriginalAttributedTenantConnectingIp', field: 'TenantId' }, { name: 'X-Sender-Tenant' }],
      headerFirewall: true,
      egressNetworks: ['40.107.0.0/17', '40.107.200.1'],
    }));
    expect(t.platform.senderTenantHeaders).to.deep.equal([
      { name: 'x-ms-exchange-crosstenant-originalattributedtenantconnectingip', field: 'tenantid' },
      { name: 'x-sender-tenant', field: null },
    ]);
    const c = compileTenancy(t);
    expect([...c.senderTenantHeaders]).to.deep.equal([['x-ms-exchange-crosstenant-originalattributedtenantconnectingip', 'tenantid'], ['x-sender-tenant', null]]);
    expect(c.headerFirewall).to.equal(true);
    expect(c.egressNetworks.has('40.107.1.1')).to.equal(true);
    expect(c.egressNetworks.has('40.107.200.1')).to.equal(true);
    expect(c.egressNetworks.has('40.107.200.2')).to.equal(false);
  });

  describe('errors name the field path and the problem', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['a sender-tenant header without a name', { senderTenantHeaders: [{ field: 'TenantId' }] }, /^platform\.senderTenantHeaders\[0\]\.name: /],
      ['a field that is not a key', { senderTenantHeaders: [{ name: 'X-A', field: 'Tenant Id=(.*)' }] }, /^platform\.senderTenantHeaders\[0\]\.field: must be the key/],
      ['a misspelt key in a sender-tenant header', { senderTenantHeaders: [{ name: 'X-A', pattern: 'x' }] }, /^platform\.senderTenantHeaders\[0\]: .*pattern/],
      ['a header both kinds', { senderTenantHeaders: [{ name: 'x-ms-exchange-crosstenant-id' }] }, /^platform\.senderTenantHeaders\[0\]\.name: "x-ms-exchange-crosstenant-id" is also in platform\.tenantHeaders/],
      ['a firewall that is not a boolean', { headerFirewall: 'yes' }, /^platform\.headerFirewall: /],
      ['an egress range outside the platform', { egressNetworks: ['52.100.0.0/14'] }, /^platform\.egressNetworks\[0\]: "52\.100\.0\.0\/14" is not inside any of platform\.networks/],
      ['an egress range wider than the platform range', { egressNetworks: ['40.106.0.0/15'] }, /^platform\.egressNetworks\[0\]: .*not inside/],
      ['a bad egress CIDR', { egressNetworks: ['40.107.0.0/40'] }, /^platform\.egressNetworks\[0\]: .*CIDR/],
    ];
    for (const [what, platform, pattern] of cases) {
      it(what, () => {
        const problems = problemsOf(doc(platform));
        expect(problems.some((p) => pattern.test(p)), problems.join('; ')).to.equal(true);
      });
    }
  });

  describe('reading the id out of a sender-tenant header', () => {
    const value = 'TenantId=9D3E1C52-7a4b-4f08-b6e1-2c5d8f9a0b14;Ip=[203.0.113.98];Helo=[x.example]';
    it('takes the named entry, case-insensitively, lower-cased', () => {
      expect(senderTenantId(value, 'tenantid')).to.equal('9d3e1c52-7a4b-4f08-b6e1-2c5d8f9a0b14');
      expect(senderTenantId(' ip = [203.0.113.98] ; TenantId = abc ', 'tenantid')).to.equal('abc');
    });
    it('gives null for a missing or empty entry, the whole value without a field', () => {
      expect(senderTenantId(value, 'tenant')).to.equal(null);
      expect(senderTenantId('TenantId=;Ip=[1.2.3.4]', 'tenantid')).to.equal(null);
      expect(senderTenantId('  ABC  ', null)).to.equal('abc');
      expect(senderTenantId('   ', null)).to.equal(null);
    });
  });
});
