import { expect } from 'chai';
import { addressIdentity, normalizeLogin } from '../../shared/identity/normalize-address.ts';

describe('addresses as identities (shared/identity/normalize-address.ts)', () => {
  it('a login is NFKC, trimmed, lower case', () => {
    expect(normalizeLogin('  Jo@Example.COM ')).to.equal('jo@example.com');
    expect(normalizeLogin('ｊｏ@example.com')).to.equal('jo@example.com');
  });

  it('one identity per mailbox: +tags dropped everywhere', () => {
    expect(addressIdentity('Jo+one@Example.com')).to.equal('jo@example.com');
    expect(addressIdentity('jo+a+b@example.com')).to.equal('jo@example.com');
    expect(addressIdentity('+tag@example.com')).to.equal('+tag@example.com');
    // Dots matter outside Gmail: j.o@example.com is another mailbox.
    expect(addressIdentity('j.o@example.com')).to.equal('j.o@example.com');
  });

  it('Gmail: dots ignored and googlemail.com is gmail.com, so one inbox cannot be many reporters', () => {
    const variants = ['john.doe@gmail.com', 'J.O.H.N.D.O.E@Gmail.com', 'johndoe+x@googlemail.com', 'jo.hn.doe+1@gmail.com'];
    expect(new Set(variants.map(addressIdentity))).to.deep.equal(new Set(['johndoe@gmail.com']));
    expect(addressIdentity('...@gmail.com')).to.equal(null);
  });

  it('null for what is not local@domain', () => {
    for (const bad of ['', 'jo', '@example.com', 'jo@']) expect(addressIdentity(bad), bad).to.equal(null);
  });
});
