import { expect } from 'chai';
import { CidrSet } from '../../../shared/analysis/net/cidr-set.ts';

describe('CidrSet', () => {
  // The tenancy example's platform networks (ARCHITECTURE.md).
  const platform = new CidrSet(['40.107.0.0/16', '52.100.0.0/14', '2603:1000::/24', '2a01:111:f400::/48']);

  for (const [ip, inside] of [
    ['40.107.0.0', true],
    ['40.107.255.255', true],
    ['40.106.255.255', false],
    ['40.108.0.0', false],
    ['52.100.0.1', true],
    ['52.103.255.255', true],
    ['52.104.0.0', false],
    ['::ffff:40.107.22.101', true],
    ['2603:1000::1', true],
    ['2603:10ff:ffff::1', true],
    ['2603:1100::1', false],
    ['2a01:111:f400::5', true],
    ['2a01:111:f400:ffff:ffff:ffff:ffff:ffff', true],
    ['2a01:111:f401::', false],
    ['[IPv6:2a01:111:f400::5]', true],
    ['not an ip', false],
    ['', false],
  ] as const) {
    it(`${ip} ${inside ? 'is' : 'is not'} in the platform networks`, () => {
      expect(platform.has(ip)).to.equal(inside);
    });
  }

  it('treats a bare address as a host route and /0 as everything of that family', () => {
    const s = new CidrSet(['198.51.100.23', '::/0']);
    expect(s.has('198.51.100.23')).to.equal(true);
    expect(s.has('198.51.100.24')).to.equal(false);
    expect(s.has('2001:db8::1')).to.equal(true);
    expect(new CidrSet(['0.0.0.0/0']).has('203.0.113.9')).to.equal(true);
  });

  it('reads an IPv4-mapped network as IPv4', () => {
    const s = new CidrSet(['::ffff:192.0.2.0/120']);
    expect(s.has('192.0.2.77')).to.equal(true);
    expect(s.has('192.0.3.1')).to.equal(false);
  });

  it('masks host bits instead of rejecting them', () => {
    expect(new CidrSet(['10.1.2.3/8']).has('10.200.0.1')).to.equal(true);
  });

  it('matches against thousands of networks', () => {
    const cidrs: string[] = [];
    for (let a = 0; a < 40; a++) for (let b = 0; b < 100; b++) cidrs.push(`${a + 1}.${b}.0.0/16`);
    const s = new CidrSet(cidrs);
    expect(s.size).to.equal(4000);
    expect(s.has('40.99.1.1')).to.equal(true);
    expect(s.has('41.0.0.1')).to.equal(false);
  });

  for (const bad of ['10.0.0.0/33', '2001:db8::/129', '10.0.0/8', 'outlook.com', '10.0.0.0/', '10.0.0.0/-1', '::ffff:1.2.3.0/64', '']) {
    it(`rejects ${JSON.stringify(bad)} with an error naming it`, () => {
      expect(() => new CidrSet(['192.0.2.0/24', bad])).to.throw(Error, JSON.stringify(bad));
    });
  }
});
