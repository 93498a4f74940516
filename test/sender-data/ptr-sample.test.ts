import { expect } from 'chai';
import { ptrSample } from '../../shared/sender-data/ptr-sample.ts';
import { parseOwnerRange, isRangeError } from '../../shared/sender-data/owner-range.ts';

function range(s: string) {
  const r = parseOwnerRange(s);
  if (isRangeError(r)) throw new Error(`bad range ${s}`);
  return r;
}

describe('sender data: the PTR sample of a range', () => {
  it('takes every address of a range no larger than the sample', () => {
    expect(ptrSample(range('198.51.100.8/30'), 16)).to.deep.equal(['198.51.100.8', '198.51.100.9', '198.51.100.10', '198.51.100.11']);
    expect(ptrSample(range('198.51.100.9'), 16)).to.deep.equal(['198.51.100.9']);
  });

  it('spreads a larger sample over the whole range, first and last address included, never only its start', () => {
    expect(ptrSample(range('198.51.100.0/24'), 4)).to.deep.equal(['198.51.100.0', '198.51.100.85', '198.51.100.170', '198.51.100.255']);
    const s16 = ptrSample(range('203.0.113.0/24'), 16);
    expect(s16).to.have.length(16);
    expect(new Set(s16).size).to.equal(16);
    expect(s16[0]).to.equal('203.0.113.0');
    expect(s16.at(-1)).to.equal('203.0.113.255');
    // At most one address of any /29 (a customer's delegated block) when 16 are spread over a /24.
    const per29 = new Map<number, number>();
    for (const a of s16) per29.set(Number(a.split('.')[3]) >> 3, (per29.get(Number(a.split('.')[3]) >> 3) ?? 0) + 1);
    expect(Math.max(...per29.values())).to.equal(1);
  });

  it('spreads an IPv6 /48 across it, staying inside the range', () => {
    const s = ptrSample(range('2001:db8:1234::/48'), 4);
    expect(s[0]).to.equal('2001:db8:1234::');
    expect(s.at(-1)).to.equal('2001:db8:1234:ffff:ffff:ffff:ffff:ffff');
    expect(s.every((a) => a.startsWith('2001:db8:1234:'))).to.equal(true);
    expect(new Set(s).size).to.equal(4);
  });
});
