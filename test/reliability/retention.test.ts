import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { testConfig } from '../helpers/config.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { createLogger } from '../../shared/logger.ts';
import { isAppError } from '../../shared/errors/app-error.ts';
import { processSubmission } from '../../workers/submissions/process-submission.ts';
import { analyzeWithTenancy } from '../../workers/submissions/analyze-with-tenancy.ts';
import { applyRetention, pseudonymise } from '../../workers/maintenance/retention.ts';
import { resolvePseudonymKey } from '../../shared/privacy/pseudonym-key.ts';
import { seedSubmission } from './helpers/seed.ts';

// Three different spams, so three raw messages; 007 is submitted twice (old and recent).
const OLD_ONLY = corpusFile('spam/spamassassin/007.eml');
const SHARED = corpusFile('spam/spamassassin/008.eml');
const RECENT = corpusFile('spam/spamassassin/009.eml');
const DAY = 86_400_000;
const daysAgo = (now: Date, d: number) => new Date(now.getTime() - d * DAY);

describe('retention', () => {
  let ds: DataSource;
  const key = randomBytes(32);
  const now = new Date('2026-11-27T12:00:00Z');
  const opts = (at: Date) => ({ retentionDays: 180, pseudonymiseDays: 30, key, now: at });
  const deps = () => ({ ds, log: createLogger('silent'), analyze: analyzeWithTenancy(ds, 5) });

  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(() => truncateAll(ds));

  async function seedProcessed(raw: Buffer, age: number, reporter: string | null, envelopeFrom: string | null = reporter) {
    const id = await seedSubmission(ds, raw, { receivedAt: daysAgo(now, age), reporter, envelopeFrom });
    await processSubmission(deps(), id);
    return id;
  }
  const submission = async (id: string) =>
    (await ds.query(`SELECT raw_sha256, reporter, envelope_from, status FROM submissions WHERE id = $1`, [id]))[0];
  const reportReporters = async (id: string) =>
    (await ds.query(`SELECT reporter FROM reports WHERE submission_id = $1`, [id])).map((r: { reporter: string }) => r.reporter);

  describe('raw messages', () => {
    it('deletes a raw message whose submissions are all older than RETENTION_DAYS, and keeps the reports', async () => {
      const old = await seedProcessed(OLD_ONLY, 200, 'alice@example.net');
      const result = await applyRetention(ds, opts(now));
      expect(result.rawDeleted).to.equal(1);
      expect((await submission(old)).raw_sha256).to.equal(null);
      expect(await reportReporters(old)).to.have.length(1);
    });

    it('keeps a raw message that a newer submission still carries', async () => {
      const old = await seedProcessed(SHARED, 200, null);
      const recent = await seedProcessed(SHARED, 10, null);
      expect((await applyRetention(ds, opts(now))).rawDeleted).to.equal(0);
      expect((await submission(old)).raw_sha256).to.not.equal(null);
      expect((await submission(recent)).raw_sha256).to.not.equal(null);
    });

    it('keeps a raw message whose old submission is still unprocessed', async () => {
      const pending = await seedSubmission(ds, OLD_ONLY, { receivedAt: daysAgo(now, 200), status: 'queued' });
      expect((await applyRetention(ds, opts(now))).rawDeleted).to.equal(0);
      expect((await submission(pending)).raw_sha256).to.not.equal(null);
    });

    it('with the clock moved on, deletes what was recent too', async () => {
      const recent = await seedProcessed(RECENT, 10, null);
      expect((await applyRetention(ds, opts(now))).rawDeleted).to.equal(0);
      expect((await applyRetention(ds, opts(new Date(now.getTime() + 171 * DAY)))).rawDeleted).to.equal(1);
      expect((await submission(recent)).raw_sha256).to.equal(null);
    });

    it('a submission whose raw message is gone fails clearly if it is ever processed again', async () => {
      const id = await seedSubmission(ds, OLD_ONLY, { receivedAt: daysAgo(now, 200), status: 'processed' });
      await applyRetention(ds, opts(now));
      await ds.query(`UPDATE submissions SET status = 'queued' WHERE id = $1`, [id]);
      const err = await processSubmission(deps(), id).then(() => null, (e: unknown) => e);
      expect(isAppError(err) && err.code).to.equal('unparseable_message');
    });
  });

  describe('pseudonyms', () => {
    it('replaces reporter addresses older than PSEUDONYMISE_DAYS by a keyed hash, everywhere', async () => {
      const old = await seedProcessed(OLD_ONLY, 40, 'Alice@Example.net', 'bounce+alice@example.net');
      const result = await applyRetention(ds, opts(now));
      expect(result.submissionsPseudonymised).to.equal(1);
      expect(result.reportsPseudonymised).to.equal(1);
      const row = await submission(old);
      expect(row.reporter).to.equal(pseudonymise(key, 'alice@example.net'));
      expect(row.reporter).to.match(/^pseud:[0-9a-f]{64}$/);
      expect(row.envelope_from).to.equal(pseudonymise(key, 'bounce+alice@example.net'));
      expect(await reportReporters(old)).to.deep.equal([row.reporter]);
      expect(JSON.stringify(await ds.query(`SELECT * FROM submissions`))).to.not.match(/alice/i);
    });

    it('gives one reporter one pseudonym, so distinct-reporter counts survive', async () => {
      const a = await seedProcessed(OLD_ONLY, 40, 'bob@example.org');
      const b = await seedProcessed(SHARED, 50, 'BOB@example.org');
      const c = await seedProcessed(RECENT, 60, 'carol@example.org');
      await applyRetention(ds, opts(now));
      const [ra, rb, rc] = [await submission(a), await submission(b), await submission(c)];
      expect(ra.reporter).to.equal(rb.reporter);
      expect(ra.reporter).to.not.equal(rc.reporter);
    });

    it('leaves recent addresses and empty senders alone, and a second run changes nothing', async () => {
      const recent = await seedProcessed(OLD_ONLY, 5, 'dave@example.com');
      const bounce = await seedProcessed(SHARED, 40, null, '');
      const first = await applyRetention(ds, opts(now));
      expect(first.submissionsPseudonymised).to.equal(0);
      expect((await submission(recent)).reporter).to.equal('dave@example.com');
      expect((await submission(bounce)).envelope_from).to.equal('');
      const before = await ds.query(`SELECT id, reporter, envelope_from FROM submissions ORDER BY id`);
      expect(await applyRetention(ds, opts(new Date(now.getTime() + DAY)))).to.deep.include({ submissionsPseudonymised: 0, reportsPseudonymised: 0 });
      expect(await ds.query(`SELECT id, reporter, envelope_from FROM submissions ORDER BY id`)).to.deep.equal(before);
    });

    it('pseudonymises the reputation tables too, merging one reporter\'s rows, keeping the counts', async () => {
      const id = await seedProcessed(OLD_ONLY, 40, 'eve@example.com');
      const [{ id: reportId }] = await ds.query(`SELECT id FROM reports WHERE submission_id = $1`, [id]);
      const old = daysAgo(now, 40);
      await ds.query(`INSERT INTO reputation_events (report_id, kind, key, reporter, weight, reason, at) VALUES ($1, 'ip', '203.0.113.9', 'eve@example.com', 1, 'abuse', $2)`, [reportId, old]);
      await ds.query(`INSERT INTO reputation_reporters (kind, key, reporter, reports, last_at) VALUES
        ('ip', '203.0.113.9', 'eve@example.com', 2, $1), ('ip', '203.0.113.9', 'EVE@example.com', 1, $1),
        ('ip', '203.0.113.9', $2, 4, $1), ('ip', '203.0.113.9', 'frank@example.com', 1, $3)`,
        [old, pseudonymise(key, 'eve@example.com'), daysAgo(now, 1)]);
      await applyRetention(ds, opts(now));
      expect(await ds.query(`SELECT reporter FROM reputation_events`)).to.deep.equal([{ reporter: pseudonymise(key, 'eve@example.com') }]);
      expect(await ds.query(`SELECT reporter, reports FROM reputation_reporters ORDER BY reporter`)).to.deep.equal([
        { reporter: 'frank@example.com', reports: 1 },
        { reporter: pseudonymise(key, 'eve@example.com'), reports: 7 },
      ]);
    });

    it('works in batches larger backlogs than one statement', async () => {
      for (let i = 0; i < 7; i++) await seedSubmission(ds, OLD_ONLY, { receivedAt: daysAgo(now, 40), reporter: `r${i}@example.com`, status: 'processed' });
      const result = await applyRetention(ds, { ...opts(now), batchSize: 3 });
      expect(result.submissionsPseudonymised).to.equal(7);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM submissions WHERE reporter NOT LIKE 'pseud:%'`);
      expect(n).to.equal(0);
    });
  });

  describe('the key', () => {
    it('is required in production', () => {
      const config = testConfig({ NODE_ENV: 'production' });
      expect(() => resolvePseudonymKey(config, createLogger('silent'))).to.throw(/PSEUDONYMISE_KEY/);
    });
    it('is the configured one when set', () => {
      const config = testConfig({ NODE_ENV: 'production', PSEUDONYMISE_KEY: 'a-long-enough-secret-key' });
      expect(resolvePseudonymKey(config, createLogger('silent')).toString()).to.equal('a-long-enough-secret-key');
    });
    it('is random per process elsewhere, and one for the roles of one process (the api serves the worker\'s pseudonyms)', () => {
      const log = createLogger('silent');
      const config = testConfig();
      expect(resolvePseudonymKey(config, log).equals(resolvePseudonymKey(config, log))).to.equal(true);
      // Another process reads its own configuration: another key.
      expect(resolvePseudonymKey(testConfig(), log).equals(resolvePseudonymKey(config, log))).to.equal(false);
    });
  });
});
