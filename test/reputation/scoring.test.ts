import { expect } from 'chai';
import { addToScore, decayedScore, timeBelow } from '../../shared/reputation/decay.ts';
import { complaintWeight, effectiveWeight, repeatFactor } from '../../shared/reputation/weights.ts';
import { complaintRate } from '../../shared/reputation/complaint-rate.ts';
import { decideDelist, decideExpiry, decideIpListing, decideTenantFlag } from '../../shared/reputation/decisions.ts';
import type { ReputationSettings } from '../../shared/reputation/settings.ts';
import { reputationSettings } from '../../shared/reputation/settings.ts';
import { loadConfig } from '../../shared/config/load-config.ts';

const H = 3600_000;
const S: ReputationSettings = reputationSettings(loadConfig({}));
const noRate = complaintRate(0, null, S);

describe('reputation scoring (pure)', () => {
  describe('defaults', () => {
    it('match the documented values', () => {
      expect(S).to.include({ halfLifeMs: 24 * H, listThreshold: 5, listMinReporters: 3, delistThreshold: 1, delistAutoFactor: 2, rateWatch: 0.001, rateList: 0.003 });
    });
  });

  describe('complaint weight', () => {
    for (const t of ['abuse', 'fraud', 'virus', 'phishing', 'ABUSE']) it(`${t} counts in full`, () => expect(complaintWeight(t).weight).to.equal(1));
    it('other counts less', () => expect(complaintWeight('other').weight).to.be.within(0.01, 0.99));
    it('an unknown type counts less', () => expect(complaintWeight('opt-out-list').weight).to.be.below(1));
    it('not-spam subtracts', () => expect(complaintWeight('not-spam').weight).to.be.below(0));
    it('a forward without a type counts as abuse', () => expect(complaintWeight(null).weight).to.equal(1));
    it('says why', () => expect(complaintWeight('other').reason).to.contain('other'));
  });

  describe('repeats from the same reporter', () => {
    it('halve each time', () => expect([0, 1, 2, 3].map(repeatFactor)).to.deep.equal([1, 0.5, 0.25, 0.125]));
    it('ten reports from one reporter stay below two full complaints', () => {
      let sum = 0;
      for (let i = 0; i < 10; i++) sum += effectiveWeight(1, i);
      expect(sum).to.be.below(2);
    });
    it('never diminish a retraction', () => expect(effectiveWeight(-1, 4)).to.equal(-1));
  });

  describe('decay', () => {
    it('halves after one half-life', () => expect(decayedScore(8, 0, 24 * H, 24 * H)).to.be.closeTo(4, 1e-9));
    it('quarters after two', () => expect(decayedScore(8, 0, 48 * H, 24 * H)).to.be.closeTo(2, 1e-9));
    it('does not grow when the clock goes back', () => expect(decayedScore(8, 10 * H, 0, 24 * H)).to.equal(8));
    it('decays before adding', () => expect(addToScore(4, 0, 24 * H, 24 * H, 1)).to.be.closeTo(3, 1e-9));
    it('a not-spam cannot take the score below zero', () => expect(addToScore(0.5, 0, 0, 24 * H, -1)).to.equal(0));
    it('projects when a score falls below a threshold', () => {
      expect(timeBelow(8, 0, 1, 24 * H)).to.be.closeTo(72 * H, 1);
      expect(decayedScore(8, 0, timeBelow(8, 0, 1, 24 * H), 24 * H)).to.be.closeTo(1, 1e-9);
    });
  });

  describe('listing decision', () => {
    const st = (score: number, distinctReporters: number, rate = noRate) => ({ score, distinctReporters, rate, platform: false });
    it('lists at the threshold with enough reporters', () => {
      const d = decideIpListing(st(5, 3), S);
      expect(d.action).to.equal('list');
      expect(d.reasons.join()).to.contain('3 distinct reporters');
    });
    it('only watches with too few reporters', () => {
      const d = decideIpListing(st(9, 2), S);
      expect(d.action).to.equal('watch');
      expect(d.reasons.join()).to.contain('only 2 distinct reporters');
    });
    it('does nothing below the threshold', () => expect(decideIpListing(st(4.99, 10), S).action).to.equal('none'));
    it('never lists a platform address', () => {
      const d = decideIpListing({ ...st(50, 20), platform: true }, S);
      expect(d.action).to.equal('none');
      expect(d.reasons[0]).to.contain('platform');
    });
    it('flags a tenant where an IP would be listed', () => expect(decideTenantFlag(st(6, 3), S).action).to.equal('flag'));
    it('lists on a complaint rate ≥ 0.3% with volume known', () => {
      const d = decideIpListing(st(1, 1, complaintRate(4, 1000, S)), S);
      expect(d.action).to.equal('list');
      expect(d.reasons.join()).to.contain('0.4%');
    });
    it('watches at 0.1%', () => expect(decideIpListing(st(1, 1, complaintRate(2, 1000, S)), S).action).to.equal('watch'));
  });

  describe('complaint rate', () => {
    it('is unknown without volume', () => expect(complaintRate(3, null, S)).to.include({ rate: null, level: 'unknown' }));
    it('is informative below the minimum volume', () => expect(complaintRate(3, 100, S).level).to.equal('informative'));
    it('is ok below 0.1%', () => expect(complaintRate(1, 10_000, S).level).to.equal('ok'));
    it('computes the ratio', () => expect(complaintRate(3, 1000, S).rate).to.equal(0.003));
  });

  describe('expiry decision', () => {
    it('expires below DELIST_THRESHOLD', () => {
      const d = decideExpiry({ score: 0.99, rate: noRate }, S);
      expect(d.action).to.equal('expire');
      expect(d.reasons[0]).to.contain('below 1');
    });
    it('keeps at or above it', () => expect(decideExpiry({ score: 1, rate: noRate }, S).action).to.equal('keep'));
    it('keeps while the complaint rate still says list', () => expect(decideExpiry({ score: 0, rate: complaintRate(10, 1000, S) }, S).action).to.equal('keep'));
  });

  describe('delist decision', () => {
    const now = 100 * 24 * H;
    it('is automatic when the score decayed below DELIST_THRESHOLD × k', () => {
      expect(decideDelist({ score: 1.9, lastReportAt: now - H, removals30d: 0, now }, S).action).to.equal('auto');
    });
    it('is automatic when the last report is old', () => {
      expect(decideDelist({ score: 10, lastReportAt: now - 73 * H, removals30d: 2, now }, S).action).to.equal('auto');
    });
    it('goes to an analyst for a manual listing, however low the score (an analyst listed it)', () => {
      const d = decideDelist({ score: 0, lastReportAt: null, removals30d: 0, now, manual: true }, S);
      expect(d.action).to.equal('analyst');
      expect(d.reasons.at(-1)).to.equal('listed by an analyst: an analyst decides');
    });
    it('goes to an analyst when the score is high and reports are fresh', () => {
      const d = decideDelist({ score: 3, lastReportAt: now - H, removals30d: 0, now }, S);
      expect(d.action).to.equal('analyst');
      expect(d.reasons).to.have.length(3);
    });
    it('goes to an analyst after 3 removals in 30 days', () => {
      const d = decideDelist({ score: 0, lastReportAt: now - 90 * H, removals30d: 3, now }, S);
      expect(d.action).to.equal('analyst');
      expect(d.reasons.join()).to.contain('3 removals');
    });
  });
});
