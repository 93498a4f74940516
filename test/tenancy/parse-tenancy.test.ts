import { expect } from 'chai';
import { parseTenancy, loadTenancyFile } from '../../shared/tenancy/parse-tenancy.ts';
import { compileTenancy } from '../../shared/tenancy/compile-tenancy.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { CONTOSO_TENANCY_FILE } from '../analysis/attribute/helpers.ts';

const MINIMAL = { platform: { networks: ['40.107.0.0/16'], hostnames: ['outlook.com'] }, tenants: [] };

function problemsOf(text: string): string[] {
  try {
    parseTenancy(text);
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return ((err as AppError).details.problems as string[] | undefined) ?? [(err as Error).message];
  }
  throw new Error('expected the tenancy to be rejected');
}

describe('tenancy file', () => {
  it('reads the contract example (YAML) with defaults for the optional parts', () => {
    const t = loadTenancyFile(CONTOSO_TENANCY_FILE);
    expect(t.platform.hostnames).to.deep.equal(['outlook.com', 'office365.com']);
    expect(t.platform.tenantHeaders).to.deep.equal(['x-ms-exchange-crosstenant-id']);
    expect(t.tenants.map((x) => x.id)).to.deep.equal(['contoso', 'fabrikam']);
    expect(t.tenants[0]!.abuseContact).to.equal('abuse@contoso.com');
  });

  it('reads JSON too, and fills the optional lists', () => {
    const t = parseTenancy(JSON.stringify(MINIMAL));
    expect(t.trustedRelays).to.deep.equal([]);
    expect(t.feedbackLoops).to.deep.equal([]);
    expect(t.platform.originatingIpHeaders).to.deep.equal([]);
  });

  it('canonicalises networks; a bare address is a /32', () => {
    const t = parseTenancy(JSON.stringify({ ...MINIMAL, trustedRelays: ['192.0.2.7', '2001:DB8:0::/32'] }));
    expect(t.trustedRelays).to.deep.equal(['192.0.2.7/32', '2001:db8::/32']);
  });

  it('compiles into lookups', () => {
    const c = compileTenancy(loadTenancyFile(CONTOSO_TENANCY_FILE));
    expect(c.platformNetworks.has('40.107.200.1')).to.equal(true);
    expect(c.platformNetworks.has('2a01:111:f400::1')).to.equal(true);
    expect(c.tenantByDomain.get('contoso.onmicrosoft.com')?.id).to.equal('contoso');
    expect(c.tenantByExternalId.get('5f6c8a1e-2b3d-4c7e-9a10-8e2f4b6d1c37')?.id).to.equal('contoso');
    expect(c.feedbackLoopByFrom.get('fbl@feedback.example.net')).to.equal('Example FBL');
  });

  describe('errors name the field path and the problem', () => {
    const cases: [string, unknown, RegExp][] = [
      ['a bad CIDR', { ...MINIMAL, platform: { ...MINIMAL.platform, networks: ['40.107.0.0/33'] } }, /^platform\.networks\[0\]: .*CIDR/],
      ['a missing section', { tenants: [] }, /^platform: /],
      ['a misspelt key', { ...MINIMAL, tenants: [{ id: 'a', name: 'A', domian: ['a.com'] }] }, /^tenants\[0\]: .*domian/],
      ['a bad abuse contact', { ...MINIMAL, tenants: [{ id: 'a', name: 'A', abuseContact: 'nobody' }] }, /^tenants\[0\]\.abuseContact: .*email/],
      ['a domain used by two tenants', { ...MINIMAL, tenants: [{ id: 'a', name: 'A', domains: ['x.com'] }, { id: 'b', name: 'B', domains: ['X.com'] }] }, /^tenants\[1\]\.domains\[0\]: "x\.com" is already used by tenant a/],
      ['a duplicate tenant id', { ...MINIMAL, tenants: [{ id: 'a', name: 'A' }, { id: 'a', name: 'A2' }] }, /^tenants\[1\]\.id: duplicate tenant id/],
      ['a feedback loop without an address', { ...MINIMAL, feedbackLoops: [{ name: 'X', from: 'not-an-address' }] }, /^feedbackLoops\[0\]\.from: /],
      ['a bad host name', { ...MINIMAL, platform: { ...MINIMAL.platform, hostnames: ['out look.com'] } }, /^platform\.hostnames\[0\]: /],
    ];
    for (const [what, doc, pattern] of cases) {
      it(what, () => {
        expect(problemsOf(JSON.stringify(doc)).some((p) => pattern.test(p)), problemsOf(JSON.stringify(doc)).join('; ')).to.equal(true);
      });
    }

    it('text that is neither YAML nor JSON', () => {
      expect(problemsOf('platform: [unclosed')[0]).to.match(/not valid YAML or JSON/);
    });

    it('a missing file names the file', () => {
      expect(() => loadTenancyFile('/nonexistent/tenancy.yaml')).to.throw(AppError, /nonexistent\/tenancy\.yaml/);
    });
  });
});
