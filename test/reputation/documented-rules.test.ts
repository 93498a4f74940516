import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import type { ReputationContext } from '../../workers/reputation/apply-reputation.ts';
import { analyzed, report, settings } from './fixtures.ts';
import type { ChannelTrust } from '../../shared/trust/channel-trust.ts';

/**
 * The numbers docs/reputation.md promises, checked through the worker's reputation step (the SQL
 * that writes scores, the decision that lists): the weight of each feedback type, the exponential
 * decay at REPUTATION_HALF_LIFE, and the distinct-reporter window of 7 half-lives. Each number is
 * asserted exactly, so a changed weight, a decay off by any factor, or a wider window fails here.
 */
const H = 3600_000;
const HALF_LIFE = 24 * H;

describe('reputation: the documented weights, decay and reporter window', () => {
  let ds: DataSource;
  let clock: number;
  let ctx: ReputationContext;

  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(async () => {
    await truncateAll(ds);
    clock = Date.parse('2026-03-01T12:00:00Z');
    ctx = { settings: settings({ halfLifeMs: HALF_LIFE, listThreshold: 1000, listMinReporters: 3 }), now: () => clock };
  });

  const stored = async (ip: string) => {
    const [row]: { score: number; updated_at: Date }[] = await ds.query(`SELECT score, updated_at FROM reputation_subjects WHERE kind = 'ip' AND key = $1`, [ip]);
    return row!;
  };
  const weights = async (ip: string) =>
    ((await ds.query(`SELECT weight FROM reputation_events WHERE kind = 'ip' AND key = $1 ORDER BY id`, [ip])) as { weight: number }[]).map((r) => r.weight);

  describe('weights by feedback type (docs/reputation.md table)', () => {
    const TABLE: [string | null, number][] = [
      ['abuse', 1], ['fraud', 1], ['virus', 1], ['phishing', 1], ['spam', 1], ['malware', 1], ['scam', 1], [null, 1],
      ['other', 0.5], ['auth-failure', 0.5], ['dmarc', 0.5], ['opt-out', 0.5], ['some-new-type', 0.5],
    ];
    for (const [type, weight] of TABLE) {
      it(`${type ?? 'a forward with no type'} adds ${weight}`, async () => {
        const ip = '198.51.100.10';
        await report(ds, ctx, 'one@example.org', [analyzed({ relayIp: ip, originatingIp: ip, feedbackType: type })]);
        expect(await weights(ip)).to.deep.equal([weight]);
        expect((await stored(ip)).score).to.equal(weight);
      });
    }

    it('not-spam from the feedback loop that reported the subject subtracts 1.0 (and is never diminished as a repeat)', async () => {
      // Rule 3: a retraction counts only from a feed, about a subject the same loop reported before.
      const ip = '198.51.100.11';
      const feed: ChannelTrust = { trust: 'feed', identity: 'feed:Example FBL', feedbackLoop: 'Example FBL' };
      const spam = (feedbackType: string) => [analyzed({ relayIp: ip, originatingIp: ip, feedbackType })];
      await report(ds, ctx, 'a@example.org', spam('abuse'));
      await report(ds, ctx, 'b@example.org', spam('abuse'));
      await report(ds, ctx, 'fbl@provider.example', spam('abuse'), undefined, feed);
      await report(ds, ctx, 'fbl@provider.example', spam('not-spam'), undefined, feed);
      await report(ds, ctx, 'fbl@provider.example', spam('not-spam'), undefined, feed);
      expect(await weights(ip)).to.deep.equal([1, 1, 1, -1, -1]);
      expect((await stored(ip)).score).to.equal(1);
    });

    it('repeats from one reporter count 1, ½, ¼', async () => {
      const ip = '198.51.100.12';
      for (let i = 0; i < 3; i++) await report(ds, ctx, 'same@example.org', [analyzed({ relayIp: ip, originatingIp: ip, feedbackType: 'abuse' })]);
      expect(await weights(ip)).to.deep.equal([1, 0.5, 0.25]);
      expect((await stored(ip)).score).to.equal(1.75);
    });
  });

  describe('decay: score(t) = score(t0) · 2^(−(t − t0) / half-life), in the SQL that adds a complaint', () => {
    for (const [label, elapsed, expected] of [['one half-life', HALF_LIFE, 1.5], ['two half-lives', 2 * HALF_LIFE, 1.25], ['an hour', H, 2 ** (-1 / 24) + 1]] as const) {
      it(`a complaint ${label} after another finds the first decayed: ${expected.toFixed(4)}`, async () => {
        const ip = '198.51.100.20';
        await report(ds, ctx, 'first@example.org', [analyzed({ relayIp: ip, originatingIp: ip })]);
        clock += elapsed;
        await report(ds, ctx, 'second@example.org', [analyzed({ relayIp: ip, originatingIp: ip })]);
        const row = await stored(ip);
        expect(row.score).to.be.closeTo(expected, 1e-9);
        expect(row.updated_at.getTime()).to.equal(clock);
      });
    }
  });

  describe('distinct current reporters: 7 half-lives after their last complaint', () => {
    const IP = '198.51.100.30';
    const listing = async () => ((await ds.query(`SELECT 1 FROM listings WHERE ip = $1`, [IP])) as unknown[]).length === 1;
    // Two reporters, then a third `days` later; the score alone always suffices (threshold 1).
    async function thirdReporterAfter(days: number): Promise<string[]> {
      ctx = { ...ctx, settings: settings({ halfLifeMs: HALF_LIFE, listThreshold: 1, listMinReporters: 3 }) };
      await report(ds, ctx, 'a@example.org', [analyzed({ relayIp: IP, originatingIp: IP })]);
      await report(ds, ctx, 'b@example.org', [analyzed({ relayIp: IP, originatingIp: IP })]);
      expect(await listing(), 'two reporters are not enough').to.equal(false);
      clock += days * 24 * H;
      return (await report(ds, ctx, 'c@example.org', [analyzed({ relayIp: IP, originatingIp: IP })])).listed;
    }

    it('6 days (6 half-lives) on, the first two still count: three reporters list the IP', async () => {
      expect(await thirdReporterAfter(6)).to.deep.equal([IP]);
    });

    it('8 days (8 half-lives) on, they no longer count: one current reporter does not list it', async () => {
      expect(await thirdReporterAfter(8)).to.deep.equal([]);
      expect(await listing()).to.equal(false);
    });
  });
});
