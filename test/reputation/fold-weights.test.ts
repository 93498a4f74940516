import { expect } from 'chai';
import { addToScore } from '../../shared/reputation/decay.ts';
import { couldCrossThreshold } from '../../shared/reputation/could-decide.ts';
import { foldWeights } from '../../workers/reputation/reputation-decisions.ts';
import { settings } from './fixtures.ts';

/** The batch score update must equal adding the same weights one by one (clamped at zero each step). */
describe('foldWeights (one UPDATE for a batch of events)', () => {
  const sequential = (start: number, ws: number[]) => ws.reduce((s, w) => addToScore(s, 0, 0, 1, w), start);
  const folded = (start: number, ws: number[]) => {
    const f = foldWeights(ws);
    return Math.max(start + f.total, f.floor);
  };

  it('adds positive weights', () => expect(folded(2, [1, 0.5, 0.25])).to.be.closeTo(sequential(2, [1, 0.5, 0.25]), 1e-12));
  it('clamps a retraction that would go below zero before later complaints', () => {
    expect(sequential(0.5, [-1, 1])).to.equal(1);
    expect(folded(0.5, [-1, 1])).to.equal(1);
  });
  it('matches the one-by-one result on many random sequences', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const choices = [1, 0.5, 0.25, -1, 0.125];
    for (let i = 0; i < 2000; i++) {
      const ws = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => choices[Math.floor(rnd() * choices.length)]!);
      const start = Math.floor(rnd() * 4) * 0.75;
      expect(folded(start, ws), `${start} + ${ws.join(',')}`).to.be.closeTo(sequential(start, ws), 1e-9);
    }
  });
});

describe('couldCrossThreshold (decision precheck)', () => {
  const s = settings({ listThreshold: 5, rateMinVolume: 1000 });
  it('skips a score below the threshold without volume', () => expect(couldCrossThreshold({ kind: 'ip', score: 4.9, platform: false, delivered24h: null }, s)).to.equal(false));
  it('checks at the threshold', () => expect(couldCrossThreshold({ kind: 'tenant', score: 5, platform: false, delivered24h: null }, s)).to.equal(true));
  it('checks when an acting complaint rate is possible', () => expect(couldCrossThreshold({ kind: 'ip', score: 0, platform: false, delivered24h: 1000 }, s)).to.equal(true));
  it('skips volume below the minimum (rate only informative)', () => expect(couldCrossThreshold({ kind: 'ip', score: 0, platform: false, delivered24h: 999 }, s)).to.equal(false));
  it('never checks a platform IP or a domain', () => {
    expect(couldCrossThreshold({ kind: 'ip', score: 50, platform: true, delivered24h: null }, s)).to.equal(false);
    expect(couldCrossThreshold({ kind: 'domain', score: 50, platform: false, delivered24h: null }, s)).to.equal(false);
  });
});
