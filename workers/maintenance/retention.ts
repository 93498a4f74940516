import type { DataSource } from 'typeorm';
import { pseudonymise } from '../../shared/privacy/pseudonym.ts';
import { pseudonymiseReputation } from './pseudonymise-reputation.ts';
import { returningRows } from '../../shared/db/returning-rows.ts';

export { pseudonymise, PSEUDONYM_PREFIX } from '../../shared/privacy/pseudonym.ts';

export interface RetentionOptions {
  /** Raw messages whose every submission is older than this are deleted. @defaultValue 180 */
  retentionDays: number;
  /** Reporter addresses older than this are replaced by a keyed hash. @defaultValue 30 */
  pseudonymiseDays: number;
  key: Buffer;
  /** Injected clock, so tests can move time instead of waiting. */
  now?: Date;
  /** Rows touched per statement: keeps each transaction short on a big backlog. @defaultValue 1000 */
  batchSize?: number;
}

export interface RetentionResult {
  rawDeleted: number;
  submissionsPseudonymised: number;
  reportsPseudonymised: number;
  /** reputation_events and reputation_reporters rows (0 until the reputation tables exist). */
  reputationPseudonymised: number;
}

const DAY_MS = 86_400_000;

/** The retention job: raw messages go, reporter addresses become pseudonyms everywhere; reports and scores stay. */
export async function applyRetention(ds: DataSource, opts: RetentionOptions): Promise<RetentionResult> {
  const now = opts.now ?? new Date();
  const batch = opts.batchSize ?? 1000;
  const rawCutoff = new Date(now.getTime() - opts.retentionDays * DAY_MS);
  const pseudCutoff = new Date(now.getTime() - opts.pseudonymiseDays * DAY_MS);
  return {
    rawDeleted: await deleteOldRaw(ds, rawCutoff, batch),
    submissionsPseudonymised: await pseudonymiseSubmissions(ds, opts.key, pseudCutoff, batch),
    reportsPseudonymised: await pseudonymiseReports(ds, opts.key, pseudCutoff, batch),
    reputationPseudonymised: await pseudonymiseReputation(ds, opts.key, pseudCutoff, batch),
  };
}

/**
 * Deletes raw messages first stored before the cutoff that no newer or unfinished submission still
 * needs (one message body can be shared by many submissions). The foreign key sets
 * submissions.raw_sha256 to NULL.
 */
async function deleteOldRaw(ds: DataSource, cutoff: Date, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = returningRows<{ sha256: string }>(await ds.query(
      `DELETE FROM raw_messages r WHERE r.sha256 IN (
         SELECT m.sha256 FROM raw_messages m
          WHERE m.created_at < $1
            AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.raw_sha256 = m.sha256
                             AND (s.received_at >= $1 OR s.status IN ('received', 'queued')))
          LIMIT $2)
       RETURNING r.sha256`,
      [cutoff, batch],
    ));
    total += rows.length;
    if (rows.length < batch) return total;
  }
}

async function pseudonymiseSubmissions(ds: DataSource, key: Buffer, cutoff: Date, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    // reporter_identity names an address for verified reporters and end users (`key:…/user@x`):
    // pseudonymised like the addresses, with the same key, so it still matches reputation_events.
    const rows: { id: string; reporter: string | null; envelope_from: string | null; reporter_identity: string | null }[] = await ds.query(
      `SELECT id, reporter, envelope_from, reporter_identity FROM submissions
        WHERE received_at < $1
          AND ((reporter <> '' AND reporter NOT LIKE 'pseud:%')
            OR (envelope_from <> '' AND envelope_from NOT LIKE 'pseud:%')
            OR (reporter_identity LIKE '%@%' AND reporter_identity NOT LIKE 'pseud:%'))
        LIMIT $2`,
      [cutoff, batch],
    );
    if (rows.length === 0) return total;
    await ds.query(
      `UPDATE submissions s SET reporter = v.reporter, envelope_from = v.envelope_from, reporter_identity = v.identity
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS v(id, reporter, envelope_from, identity)
        WHERE s.id = v.id`,
      [
        rows.map((r) => r.id),
        rows.map((r) => keepEmpty(key, r.reporter)),
        rows.map((r) => keepEmpty(key, r.envelope_from)),
        rows.map((r) => (r.reporter_identity?.includes('@') ? pseudonymise(key, r.reporter_identity) : r.reporter_identity)),
      ],
    );
    total += rows.length;
  }
}

async function pseudonymiseReports(ds: DataSource, key: Buffer, cutoff: Date, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const rows: { id: string; reporter: string }[] = await ds.query(
      `SELECT id, reporter FROM reports
        WHERE received_at < $1 AND reporter <> '' AND reporter NOT LIKE 'pseud:%'
        LIMIT $2`,
      [cutoff, batch],
    );
    if (rows.length === 0) return total;
    await ds.query(
      `UPDATE reports r SET reporter = v.reporter
         FROM unnest($1::uuid[], $2::text[]) AS v(id, reporter) WHERE r.id = v.id`,
      [rows.map((r) => r.id), rows.map((r) => pseudonymise(key, r.reporter))],
    );
    total += rows.length;
  }
}

/** An empty sender (`MAIL FROM:<>`) identifies nobody: it stays as it is, and is never selected again. */
function keepEmpty(key: Buffer, value: string | null): string | null {
  return value === null || value === '' ? value : pseudonymise(key, value);
}
