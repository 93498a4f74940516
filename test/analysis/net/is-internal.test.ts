import { expect } from 'chai';
import { isInternal } from '../../../shared/analysis/net/is-internal.ts';

/** The attribution contract's internal ranges, probed on both sides of every boundary. */
const TABLE: [string, boolean, string][] = [
  // RFC 1918
  ['9.255.255.255', false, 'below 10/8'],
  ['10.0.0.0', true, '10/8 first'],
  ['10.255.255.255', true, '10/8 last'],
  ['11.0.0.0', false, 'above 10/8'],
  ['172.15.255.255', false, 'below 172.16/12'],
  ['172.16.0.0', true, '172.16/12 first'],
  ['172.31.255.255', true, '172.16/12 last'],
  ['172.32.0.0', false, 'above 172.16/12'],
  ['192.167.255.255', false, 'below 192.168/16'],
  ['192.168.0.0', true, '192.168/16 first'],
  ['192.168.255.255', true, '192.168/16 last'],
  ['192.169.0.0', false, 'above 192.168/16'],
  // loopback
  ['126.255.255.255', false, 'below 127/8'],
  ['127.0.0.1', true, 'loopback'],
  ['127.255.255.255', true, '127/8 last'],
  ['128.0.0.0', false, 'above 127/8'],
  ['::1', true, 'IPv6 loopback'],
  ['::2', false, 'next to IPv6 loopback'],
  // link-local
  ['169.253.255.255', false, 'below 169.254/16'],
  ['169.254.0.0', true, '169.254/16 first'],
  ['169.254.255.255', true, '169.254/16 last'],
  ['169.255.0.0', false, 'above 169.254/16'],
  ['fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff', false, 'below fe80::/10'],
  ['fe80::', true, 'fe80::/10 first'],
  ['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true, 'fe80::/10 last'],
  ['fec0::', false, 'above fe80::/10'],
  // unique local
  ['fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', false, 'below fc00::/7'],
  ['fc00::', true, 'fc00::/7 first'],
  ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true, 'fc00::/7 last'],
  ['fe00::', false, 'above fc00::/7'],
  // carrier-grade NAT
  ['100.63.255.255', false, 'below 100.64/10'],
  ['100.64.0.0', true, '100.64/10 first'],
  ['100.127.255.255', true, '100.64/10 last'],
  ['100.128.0.0', false, 'above 100.64/10'],
  // unspecified / "this network"
  ['0.0.0.0', true, 'IPv4 unspecified'],
  ['0.255.255.255', true, '0/8 last'],
  ['1.0.0.0', false, 'above 0/8'],
  ['::', true, 'IPv6 unspecified'],
  // IPv4-mapped IPv6 is read as IPv4
  ['::ffff:10.1.2.3', true, 'mapped private'],
  ['::ffff:127.0.0.1', true, 'mapped loopback'],
  ['::ffff:203.0.113.9', false, 'mapped documentation range'],
  ['::ffff:8.8.8.8', false, 'mapped public'],
  // documentation ranges are public (ipaddr.js calls them "reserved")
  ['192.0.2.1', false, 'TEST-NET-1'],
  ['198.51.100.23', false, 'TEST-NET-2'],
  ['203.0.113.5', false, 'TEST-NET-3'],
  ['2001:db8::1', false, '2001:db8::/32'],
  // ordinary public
  ['8.8.8.8', false, 'public IPv4'],
  ['40.107.22.101', false, 'public IPv4 (platform range in fixtures)'],
  ['2a01:111:f400::5', false, 'public IPv6'],
];

describe('isInternal', () => {
  for (const [ip, internal, why] of TABLE) {
    it(`${ip} is ${internal ? 'internal' : 'public'} (${why})`, () => {
      expect(isInternal(ip)).to.equal(internal);
    });
  }

  it('reads bracketed, IPv6:-prefixed and zoned forms', () => {
    expect(isInternal('[10.0.0.1]')).to.equal(true);
    expect(isInternal('IPv6:fe80::1')).to.equal(true);
    expect(isInternal('fe80::1%eth0')).to.equal(true);
  });

  it('is false for anything that is not an IP', () => {
    for (const s of ['', 'localhost', '10.0.0', '999.1.1.1', '10.0.0.1/8', 'XX.YY.ZZ.6']) expect(isInternal(s), s).to.equal(false);
  });
});
