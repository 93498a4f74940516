import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { truncateAll } from '../helpers/db.ts';
import { createDataSource } from '../../shared/db/data-source.ts';
import { FUZZ_MUTATIONS as MUTATIONS, FUZZ_SEED as SEED, fuzzSeeds as seeds, fuzzTenancy as tenancy, int, mulberry32 } from '../analysis/mutations.ts';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import { storableReport } from '../../shared/db/storable.ts';
import { createLogger } from '../../shared/logger.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { reputationSettings } from '../../shared/reputation/settings.ts';
import { processSubmission } from '../../workers/submissions/process-submission.ts';
import { seedSubmission } from '../reliability/helpers/seed.ts';

/**
 * The storage fuzz (issue 12.2): the analysis fuzz's mutations (analysis/mutations.ts, including the
 * values Postgres cannot store as they are) go through the analysis AND the worker's real commit —
 * reports INSERT, reputation upserts, final status — against Postgres. None may fail: a report is
 * never lost over its content. Each stored report equals the analysis made storable.
 */
const ROUNDS = Number(process.env.STORAGE_FUZZ_ROUNDS ?? 2000);

describe('storage fuzz: every mutated message is stored', function () {
  this.timeout(900_000);
  let ds: DataSource;
  before(async () => {
    // Without waiting for each commit's fsync (what is stored is under test, not durability): 4× faster.
    const url = new URL(process.env.DATABASE_URL!);
    url.searchParams.set('options', '-c synchronous_commit=off');
    ds = createDataSource({ url: url.toString(), poolSize: 4 });
    await ds.initialize();
    await truncateAll(ds);
  });
  after(() => ds.destroy());

  it(`${ROUNDS} mutations (seed ${SEED.toString(16)}) through analysis and the real INSERTs`, async () => {
    const rnd = mulberry32(SEED);
    const log = createLogger('silent');
    const reputation = { settings: reputationSettings(loadConfig({})) };
    const analyze = (raw: Buffer) => analyzeSubmission(raw, tenancy);
    const outcomes = new Map<string, number>();
    let reports = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const seedIndex = int(rnd, seeds.length);
      const [name, mutate] = MUTATIONS[round % MUTATIONS.length]!;
      const raw = mutate(seeds[seedIndex]!, rnd);
      const where = `round ${round}, mutation "${name}", seed message ${seedIndex}`;
      const id = await seedSubmission(ds, raw, { reporter: `reporter${round % 7}@example.org` });
      // Trusted enough to move reputation, so the reputation tables are written too.
      await ds.query(`UPDATE submissions SET reporter_trust = 'feed' WHERE id = $1`, [id]);
      let outcome;
      try {
        outcome = await processSubmission({ ds, log, analyze, reputation }, id);
      } catch (err) {
        throw new Error(`${where}: the commit failed: ${(err as Error).message}`);
      }
      expect(outcome.outcome, where).to.be.oneOf(['processed', 'discarded']);
      const expected = (await analyze(raw)).reports.map(storableReport);
      const stored: { subject: string | null; from_domain: string | null; feedback_type: string | null; message_id: string | null }[] = await ds.query(
        `SELECT subject, from_domain, feedback_type, message_id FROM reports WHERE submission_id = $1 ORDER BY idx`,
        [id],
      );
      expect(stored.length, where).to.equal(expected.length);
      stored.forEach((row, i) => {
        const e = expected[i]!;
        expect(row, `${where}, report ${i}`).to.deep.equal({ subject: e.subject, from_domain: e.fromDomain, feedback_type: e.feedbackType, message_id: e.messageId });
      });
      reports += stored.length;
      outcomes.set(`${name}: ${outcome.outcome}`, (outcomes.get(`${name}: ${outcome.outcome}`) ?? 0) + 1);
    }
    // The poison mutations really reached the tables (else this test proves nothing about them).
    const [poison] = await ds.query(
      `SELECT count(*) FILTER (WHERE subject LIKE '%' || chr(65533) || '%')::int AS replaced,
              count(*) FILTER (WHERE length(feedback_type) = 32)::int AS cut_feedback
         FROM reports`,
    );
    // A DKIM d= domain of thousands of characters is a reputation key: a primary key entry must stay small.
    const [{ cut_domain }] = await ds.query(`SELECT count(*)::int AS cut_domain FROM reputation_subjects WHERE kind = 'domain' AND length(key) = 255`);
    expect(poison.replaced, 'subjects with a replaced NUL or surrogate').to.be.greaterThan(0);
    expect(poison.cut_feedback, 'Feedback-Types cut to varchar(32)').to.be.greaterThan(0);
    expect(cut_domain, 'sending domains cut to 255').to.be.greaterThan(0);
    const [{ events }] = await ds.query(`SELECT count(*)::int AS events FROM reputation_events`);
    expect(events, 'reputation events written').to.be.greaterThan(0);
    expect(reports).to.be.greaterThan(ROUNDS / 2);
  });
});
