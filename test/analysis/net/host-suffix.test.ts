import { expect } from 'chai';
import { hostMatchesSuffix } from '../../../shared/analysis/net/host-suffix.ts';

describe('hostMatchesSuffix', () => {
  const platform = ['outlook.com', 'office365.com'];
  for (const [host, match] of [
    ['outlook.com', true],
    ['mail.outlook.com', true],
    ['BN8PR12MB3201.namprd12.prod.OUTLOOK.COM', true],
    ['mail.outlook.com.', true],
    ['eur05-am6-obe.outbound.protection.office365.com', true],
    ['evil-outlook.com', false],
    ['outlook.com.evil.example', false],
    ['notoutlook.com', false],
    ['com', false],
    ['', false],
    [null, false],
  ] as const) {
    it(`${JSON.stringify(host)} ${match ? 'matches' : 'does not match'}`, () => {
      expect(hostMatchesSuffix(host, platform)).to.equal(match);
    });
  }

  it('ignores case and dots around the suffix, and never lets an empty suffix match everything', () => {
    expect(hostMatchesSuffix('mx.Example.NET', ['.EXAMPLE.net.'])).to.equal(true);
    expect(hostMatchesSuffix('anything.example', ['', '.'])).to.equal(false);
    expect(hostMatchesSuffix('anything.example', [])).to.equal(false);
  });
});
