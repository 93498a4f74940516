import { expect } from 'chai';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import { MAX_HOPS } from '../../shared/analysis/attribute/attribute-message.ts';
import { MAX_EVIDENCE_LINE, MAX_EVIDENCE_LINES } from '../../shared/analysis/attribute/evidence.ts';
import { FUZZ_MUTATIONS as MUTATIONS, FUZZ_SEED as SEED, fuzzSeeds as seeds, fuzzTenancy as tenancy, int, mulberry32 } from './mutations.ts';

/**
 * Hostile input: thousands of deterministic mutations of real messages (mutations.ts, shared with the
 * storage fuzz, and of the hand-written attribution fixtures, so the DKIM path is fuzzed too).
 * analyzeSubmission has no catch-all, so any throw from extraction, the Received parser, the walk or
 * attribution fails this test.
 */
const ROUNDS = 2000;

const KINDS = ['arf', 'xarf', 'forward', 'direct', 'dsn', 'auto-reply', 'empty'];

describe('fuzz: mutated messages never throw and stay bounded', function () {
  this.timeout(600_000);

  it(`${ROUNDS} mutations (seed ${SEED.toString(16)})`, async () => {
    const rnd = mulberry32(SEED);
    const counts = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const seedIndex = int(rnd, seeds.length);
      const [name, mutate] = MUTATIONS[round % MUTATIONS.length]!;
      const input = mutate(seeds[seedIndex]!, rnd);
      const where = `round ${round}, mutation "${name}", seed message ${seedIndex}`;
      let a;
      try {
        a = await analyzeSubmission(input, tenancy);
      } catch (err) {
        throw new Error(`${where}: threw ${(err as Error).stack}`);
      }
      expect(KINDS, where).to.include(a.kind);
      expect(a.reports.length, where).to.be.at.most(20);
      for (const r of a.reports) {
        expect(r.hops.length, where).to.be.at.most(MAX_HOPS);
        expect(r.receivedChain.length, where).to.be.at.most(MAX_HOPS);
        expect(r.evidence.length, where).to.be.at.most(MAX_EVIDENCE_LINES);
        for (const line of r.evidence) {
          expect(line.length, where).to.be.at.most(MAX_EVIDENCE_LINE);
          expect(/[\u0000-\u001f\u007f]/.test(line), `${where}: control character in evidence`).to.equal(false);
        }
      }
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    expect([...counts.values()].reduce((x, y) => x + y, 0)).to.equal(ROUNDS);
  });
});
