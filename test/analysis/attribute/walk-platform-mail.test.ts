import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { walkChain } from '../../../shared/analysis/attribute/walk-chain.ts';
import { EvidenceTrail } from '../../../shared/analysis/attribute/evidence.ts';
import { compileTenancy } from '../../../shared/tenancy/compile-tenancy.ts';
import { loadTenancyFile } from '../../../shared/tenancy/parse-tenancy.ts';
import { chain, contosoTenancy } from './helpers.ts';

/** The walk's platform-to-platform and all-trusted-relay results on hand-built hop lists (issue 13). */
const DEMO = compileTenancy(loadTenancyFile(fileURLToPath(new URL('../../../examples/demo-tenancy.yaml', import.meta.url))));

function walk(hops: ReturnType<typeof chain>, t = DEMO) {
  const ev = new EvidenceTrail();
  return { ...walkChain(hops, t, ev), evidence: ev.finish() };
}

describe('walkChain: mail the platform both sent and received', () => {
  it('the relay is the first egress hop, below the receiving side and above the sender\'s own platform hops', () => {
    const r = walk(chain(
      ['2603:10b6:510:1c0::7', 'rcpt2.namprd19.prod.outlook.com'],
      ['2603:10a6:910:1c:cafe::bd', 'rcpt1.namprd19.prod.outlook.com'],
      ['40.107.71.128', 'rcptfe.mail.protection.outlook.com'],
      ['2603:10b6:5:1::44', 'sndr2.namprd12.prod.outlook.com'],
      ['fe80::1', 'sndr1.namprd12.prod.outlook.com'],
    ));
    expect(r).to.include({ direction: 'outbound', relayIp: '40.107.71.128', viaPlatform: true, receivedByPlatform: true, endedInsidePlatform: true, decidingHop: 3, trustedHops: null });
    expect(r.evidence.filter((l) => l.includes('[platform-to-platform.egress]'))).to.deep.equal([
      'hop 2 [platform-to-platform.egress] 40.107.71.128 is in platform.egressNetworks: the sending side handed the message to the receiving side here (relayIp, viaPlatform)',
    ]);
  });

  it('with egress ranges but no hop in them, the first platform address, and the evidence says why', () => {
    const r = walk(chain(['2603:10b6:510:1c0::7', 'rcpt2.prod.outlook.com'], ['2603:10b6:5:1::44', 'sndr.prod.outlook.com']));
    expect(r).to.include({ relayIp: '2603:10b6:510:1c0::7', receivedByPlatform: true, decidingHop: 1 });
    expect(r.evidence.join('\n')).to.contain('no hop is from platform.egressNetworks');
  });

  it('inbound mail is received by the platform too; outbound and foreign mail is not', () => {
    expect(walk(chain(['40.107.1.1', 'x.outlook.com'], ['198.51.100.5']))).to.include({ direction: 'inbound', receivedByPlatform: true });
    expect(walk(chain(['40.107.1.1', 'mx.example.net'], ['198.51.100.5']))).to.include({ direction: 'outbound', receivedByPlatform: false });
    expect(walk(chain(['198.51.100.5']))).to.include({ direction: 'foreign', receivedByPlatform: false });
  });
});

describe('walkChain: every hop a trusted relay', () => {
  const T = contosoTenancy(); // trustedRelays 192.0.2.240/28
  it('flags the walk for the originating-IP header when a trusted relay was all there was', () => {
    expect(walk(chain(['192.0.2.241'], [null], ['10.0.0.1'], ['192.0.2.242']), T)).to.include({ direction: 'unknown', onlyTrustedRelays: true });
  });
  it('does not flag a chain of internal or address-less hops only', () => {
    expect(walk(chain([null], ['10.0.0.1']), T)).to.include({ direction: 'unknown', onlyTrustedRelays: false });
  });
});
