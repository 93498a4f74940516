import { expect } from 'chai';
import { walkChain } from '../../../shared/analysis/attribute/walk-chain.ts';
import { EvidenceTrail } from '../../../shared/analysis/attribute/evidence.ts';
import { EMPTY_COMPILED_TENANCY } from '../../../shared/tenancy/compile-tenancy.ts';
import { chain, contosoTenancy } from './helpers.ts';

const T = contosoTenancy();

function walk(hops: ReturnType<typeof chain>, vouchedIp?: string) {
  const ev = new EvidenceTrail();
  const r = walkChain(hops, T, ev, { vouchedIp });
  return { ...r, evidence: ev.finish() };
}

describe('walkChain (attribution contract)', () => {
  describe('leading skip', () => {
    it('skips no-address, internal and trusted-relay hops at the top, one evidence line each', () => {
      const r = walk(chain([null], ['10.1.2.3'], ['192.0.2.241'], ['198.51.100.7']));
      expect(r.direction).to.equal('foreign');
      expect(r.relayIp).to.equal('198.51.100.7');
      expect(r.decidingHop).to.equal(3);
      expect(r.evidence[0]).to.match(/^hop 0 \[skip\.leading\] no connecting address/);
      expect(r.evidence[1]).to.match(/^hop 1 \[skip\.leading\] internal address 10\.1\.2\.3/);
      expect(r.evidence[2]).to.match(/^hop 2 \[skip\.leading\] trusted relay 192\.0\.2\.241/);
      expect(r.evidence[3]).to.match(/^hop 3 \[foreign\.origin\]/);
    });

    it('reads carrier-grade NAT and IPv6 unique-local addresses as internal', () => {
      const r = walk(chain(['100.64.1.1'], ['fd00::1'], ['203.0.113.9']));
      expect(r.relayIp).to.equal('203.0.113.9');
      expect(r.decidingHop).to.equal(2);
    });
  });

  describe('foreign', () => {
    it('the first public non-platform address is relayIp and originatingIp; nothing below it counts', () => {
      // Forged platform hops below the outside sender must not turn the message into outbound.
      const r = walk(chain(['203.0.113.5'], ['40.107.1.1', 'fake.outlook.com'], ['198.51.100.1']));
      expect(r).to.include({ direction: 'foreign', relayIp: '203.0.113.5', originatingIp: '203.0.113.5', viaPlatform: false, decidingHop: 0, trustedHops: 1 });
      expect(r.evidence.join('\n')).to.contain('nothing below this hop is trusted');
    });
  });

  describe('outbound', () => {
    it('the first platform address is relayIp (egress), the first public one below is originatingIp', () => {
      const r = walk(chain(['40.107.244.101'], ['40.107.3.3', 'x.prod.outlook.com'], ['203.0.113.7', 'x.prod.outlook.com'], ['198.51.100.99']));
      expect(r).to.include({ direction: 'outbound', relayIp: '40.107.244.101', originatingIp: '203.0.113.7', viaPlatform: true, decidingHop: 2, trustedHops: 3 });
      expect(r.evidence.filter((l) => l.includes('[outbound.egress]'))).to.have.length(1);
      expect(r.evidence.filter((l) => l.includes('[outbound.platform-hop]'))).to.have.length(1);
    });

    it('IPv6 egress from a platform range', () => {
      const r = walk(chain(['2a01:111:f400:7e1a::201'], ['203.0.113.44', 'am0pr01.prod.outlook.com']));
      expect(r).to.include({ direction: 'outbound', relayIp: '2a01:111:f400:7e1a::201', originatingIp: '203.0.113.44' });
    });

    it('ending inside the platform leaves originatingIp to the header step and trusts the whole chain', () => {
      const r = walk(chain(['40.107.9.9'], ['2603:10a6:208:12::34', 'am0pr.prod.outlook.com'], [null, 'am0pr.prod.outlook.com']));
      expect(r).to.include({ direction: 'outbound', relayIp: '40.107.9.9', originatingIp: null, endedInsidePlatform: true, decidingHop: 1, trustedHops: null });
    });

    it('a platform address by a non-platform host is outbound, not inbound', () => {
      const r = walk(chain(['40.107.1.1', 'mx.google.com'], ['203.0.113.7', 'a.outlook.com']));
      expect(r.direction).to.equal('outbound');
    });
  });

  describe('inbound', () => {
    it('a platform address recorded by a platform host: the outside sender below is relay and origin', () => {
      const r = walk(chain(['2603:10a6:20b:1::5', 'db9pr.prod.outlook.com'], ['40.107.22.1', 'db9pr.prod.outlook.com'], ['198.51.100.23', 'mail.protection.outlook.com'], ['203.0.113.1']));
      expect(r).to.include({ direction: 'inbound', relayIp: '198.51.100.23', originatingIp: '198.51.100.23', viaPlatform: false, decidingHop: 2, trustedHops: 3 });
      expect(r.evidence[0]).to.match(/^hop 0 \[inbound\]/);
    });

    it('platform-to-platform mail (no outside address below) is walked as outbound', () => {
      const r = walk(chain(['40.107.1.2', 'a.prod.outlook.com'], ['40.107.1.3', 'b.prod.outlook.com']));
      expect(r).to.include({ direction: 'outbound', relayIp: '40.107.1.2', viaPlatform: true, endedInsidePlatform: true });
      expect(r.evidence.join('\n')).to.contain('[inbound.none]');
    });
  });

  describe('unknown', () => {
    it('no hops at all', () => {
      expect(walk([])).to.include({ direction: 'unknown', relayIp: null, decidingHop: null });
    });
    it('only internal addresses', () => {
      expect(walk(chain(['10.0.0.1'], ['127.0.0.1'], ['::1'])).direction).to.equal('unknown');
    });
  });

  describe('feedback-loop Source-IP (vouched)', () => {
    it('anchors the walk at the hop that shows the Source-IP, skipping the provider hops above', () => {
      const r = walk(chain(['198.51.100.200', 'fbl.example.net'], ['203.0.113.80', 'mx.feedback.example.net'], ['192.0.2.1']), '203.0.113.80');
      expect(r).to.include({ direction: 'foreign', relayIp: '203.0.113.80', decidingHop: 1 });
    });
    it('a platform Source-IP absent from the chain: outbound, relayIp, nothing trusted', () => {
      const r = walk(chain(['198.51.100.200']), '40.107.5.5');
      expect(r).to.include({ direction: 'outbound', relayIp: '40.107.5.5', viaPlatform: true, trustedHops: 0, decidingHop: null });
    });
  });

  it('without a platform (no tenancy) everything public is foreign', () => {
    const ev = new EvidenceTrail();
    expect(walkChain(chain(['40.107.1.1', 'x.outlook.com']), EMPTY_COMPILED_TENANCY, ev).direction).to.equal('foreign');
  });
});
