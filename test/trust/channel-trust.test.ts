import { expect } from 'chai';
import { CidrSet } from '../../shared/analysis/net/index.ts';
import { keyTrust, smtpTrust } from '../../shared/trust/channel-trust.ts';
import { intakeDomains, parsePersonalRecipient, personalAddress, redactRecipient } from '../../shared/trust/personal-address.ts';
import { ADDRESS_TOKEN, hashToken, LINK_TOKEN, newAddressToken, newLinkToken } from '../../shared/trust/tokens.ts';
import { trustAtLeast } from '../../shared/trust/reporter-trust.ts';

const networks = {
  feedbackLoopSources: [{ name: 'Example FBL', set: new CidrSet(['198.51.100.0/24']) }],
  platformNetworks: new CidrSet(['40.107.0.0/16']),
};

describe('channel trust (decided at intake)', () => {
  describe('SMTP', () => {
    it('a client inside a loop\'s sourceNetworks is that feed, whatever the envelope says', () => {
      expect(smtpTrust({ clientIp: '198.51.100.9', mailFrom: 'someone@else.example', personalIdentity: 'jo@x.example' }, networks))
        .to.deep.equal({ trust: 'feed', identity: 'feed:Example FBL', feedbackLoop: 'Example FBL' });
    });
    it('a client inside platform.networks is the platform relaying its user (the envelope sender, normalised)', () => {
      expect(smtpTrust({ clientIp: '::ffff:40.107.3.4', mailFrom: 'Ann+Spam@Contoso.com', personalIdentity: null }, networks))
        .to.deep.equal({ trust: 'platform', identity: 'platform-relay/ann@contoso.com', feedbackLoop: null });
    });
    it('a live personal address is its verified reporter', () => {
      expect(smtpTrust({ clientIp: '203.0.113.1', mailFrom: 'forged@x.example', personalIdentity: 'jo@x.example' }, networks))
        .to.deep.equal({ trust: 'verified', identity: 'jo@x.example', feedbackLoop: null });
    });
    it('anyone else is anonymous: a stranger\'s envelope sender is no identity', () => {
      expect(smtpTrust({ clientIp: '203.0.113.1', mailFrom: 'fbl@feedback.example.net', personalIdentity: null }, networks))
        .to.deep.equal({ trust: 'anonymous', identity: null, feedbackLoop: null });
    });
  });

  describe('HTTP intake keys', () => {
    it('the key\'s trust, its id as identity, plus the end user it vouches for', () => {
      expect(keyTrust({ id: 'k1', trust: 'platform', feedbackLoop: null }, 'User+tag@Example.org'))
        .to.deep.equal({ trust: 'platform', identity: 'key:k1/user@example.org', feedbackLoop: null });
      expect(keyTrust({ id: 'k2', trust: 'anonymous', feedbackLoop: null }, undefined)).to.deep.equal({ trust: 'anonymous', identity: 'key:k2', feedbackLoop: null });
    });
    it('a key bound to a feedback loop is that feed (every key of one loop is one identity)', () => {
      expect(keyTrust({ id: 'k3', trust: 'feed', feedbackLoop: 'Example FBL' }, null)).to.deep.equal({ trust: 'feed', identity: 'feed:Example FBL', feedbackLoop: 'Example FBL' });
      expect(keyTrust({ id: 'k4', trust: 'feed', feedbackLoop: 'Example FBL' }, 'sub@x.example').identity).to.equal('feed:Example FBL/sub@x.example');
    });
  });

  it('orders the levels anonymous < verified < platform < feed', () => {
    expect(trustAtLeast('anonymous', 'verified')).to.equal(false);
    expect(trustAtLeast('verified', 'verified')).to.equal(true);
    expect(trustAtLeast('feed', 'platform')).to.equal(true);
    expect(trustAtLeast('platform', 'feed')).to.equal(false);
  });
});

describe('personal reporting addresses and tokens', () => {
  const domains = intakeDomains(['spam@reports.example', 'abuse@Reports.Example', 'fbl@fbl.example']);

  it('issues 26-character lower-case base32 tokens, different each time', () => {
    const a = newAddressToken();
    expect(a).to.match(ADDRESS_TOKEN);
    expect(newAddressToken()).to.not.equal(a);
    expect(newLinkToken()).to.match(LINK_TOKEN);
    expect(hashToken('x')).to.match(/^[0-9a-f]{64}$/);
  });

  it('reads report+TOKEN@<an intake domain>, case-insensitively', () => {
    const t = newAddressToken();
    expect(parsePersonalRecipient(personalAddress(t, 'reports.example').toUpperCase(), domains)).to.deep.equal({ kind: 'personal', token: t });
    expect(parsePersonalRecipient(`report+${t}@fbl.example`, domains)).to.deep.equal({ kind: 'personal', token: t });
  });

  it('calls other report+… addresses of our domains malformed, and leaves everything else alone', () => {
    expect(parsePersonalRecipient('report+short@reports.example', domains)).to.deep.equal({ kind: 'malformed' });
    expect(parsePersonalRecipient(`report+${newAddressToken()}@elsewhere.example`, domains)).to.equal(null);
    expect(parsePersonalRecipient('spam@reports.example', domains)).to.equal(null);
  });

  it('never records the token: the recipient is kept as report+redacted@domain', () => {
    expect(redactRecipient(personalAddress(newAddressToken(), 'reports.example'), domains)).to.equal('report+redacted@reports.example');
    expect(redactRecipient('spam@reports.example', domains)).to.equal('spam@reports.example');
  });
});
