import { expect } from 'chai';
import { normalizeIp } from '../../../shared/analysis/net/normalize-ip.ts';

describe('normalizeIp', () => {
  for (const [input, out] of [
    ['192.0.2.1', '192.0.2.1'],
    [' 192.0.2.1 ', '192.0.2.1'],
    ['[192.0.2.1]', '192.0.2.1'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['[::ffff:203.0.113.9]', '203.0.113.9'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['[IPv6:2001:db8::1]', '2001:db8::1'],
    ['IPv6: fdbb:9767:697f:db4b::1', 'fdbb:9767:697f:db4b::1'],
    ['2a01:111:f400::5%eth0', '2a01:111:f400::5'],
    ['fe80::ffff:ffff:ffff:0000%22', 'fe80::ffff:ffff:ffff:0'],
  ] as const) {
    it(`${JSON.stringify(input)} → ${out}`, () => {
      expect(normalizeIp(input)).to.equal(out);
    });
  }

  // ipaddr.js alone accepts several of these (octal, short forms); mail headers never mean them as addresses.
  for (const garbage of ['', 'unknown', '1.2.3', '010.1.1.1', '0x7f.0.0.1', '256.1.1.1', '1.2.3.4.5', '1.2.3.4:25', 'XX.YY.ZZ.6', '2001:db8::g', '[]', 'a'.repeat(500)]) {
    it(`rejects ${JSON.stringify(garbage.slice(0, 20))}`, () => {
      expect(normalizeIp(garbage)).to.equal(null);
    });
  }

  it('rejects non-strings without throwing', () => {
    expect(normalizeIp(undefined as unknown as string)).to.equal(null);
    expect(normalizeIp(42 as unknown as string)).to.equal(null);
  });
});
