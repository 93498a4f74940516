import type { EntityManager } from 'typeorm';
import { AppError } from '../errors/app-error.ts';
import { returningRows } from '../db/returning-rows.ts';
import { addressIdentity } from '../identity/normalize-address.ts';
import type { ReporterTrust } from './reporter-trust.ts';

/**
 * Trust changes after intake, each written with an audit row in `report_trust_changes` that the
 * worker's `apply-trust-changes` job picks up to bring reputation in line (workers/trust/). The
 * caller commits, then queues that job (`enqueueTrustChanges`); the schedule applies it otherwise.
 */

export interface RecordedChange {
  /** The audit row, null when nothing changed. */
  changeId: string | null;
  previous: ReporterTrust;
  trust: ReporterTrust;
}

async function record(em: EntityManager, c: { submissionId: string; reportId: string | null; from: ReporterTrust; to: ReporterTrust; reason: string; actor: string; at: Date }): Promise<string> {
  const [row]: { id: string }[] = await em.query(
    `INSERT INTO report_trust_changes (submission_id, report_id, from_trust, to_trust, reason, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text`,
    [c.submissionId, c.reportId, c.from, c.to, c.reason.slice(0, 1000), c.actor.slice(0, 400), c.at],
  );
  return row!.id;
}

/**
 * A reporter confirmed the address of an unconfirmed (anonymous) web report: the submission and
 * its reports become `verified` with that address as identity. The submission row is updated
 * FIRST: that lock orders this against the worker's claim of the same row, so either the worker
 * reads the new trust, or its reports exist (committed) when this updates them. A higher trust is
 * never lowered; nothing changes then.
 */
export async function confirmSubmission(em: EntityManager, submissionId: string, email: string, now: Date): Promise<RecordedChange> {
  const identity = addressIdentity(email);
  if (!identity) throw new AppError('validation_failed', 'the address to confirm is not an email address');
  const rows = returningRows<{ id: string }>(await em.query(
    `UPDATE submissions SET reporter_trust = 'verified', reporter_identity = $2 WHERE id = $1 AND reporter_trust = 'anonymous' RETURNING id`,
    [submissionId, identity],
  ));
  if (rows.length === 0) {
    const [s]: { reporter_trust: ReporterTrust }[] = await em.query(`SELECT reporter_trust FROM submissions WHERE id = $1`, [submissionId]);
    return { changeId: null, previous: s?.reporter_trust ?? 'anonymous', trust: s?.reporter_trust ?? 'anonymous' };
  }
  // A report an analyst already set keeps the analyst's trust: the reporter's click does not overrule it.
  await em.query(
    `UPDATE reports r SET reporter_trust = 'verified' WHERE r.submission_id = $1 AND r.reporter_trust = 'anonymous'
        AND NOT EXISTS (SELECT 1 FROM report_trust_changes c WHERE c.report_id = r.id)`,
    [submissionId],
  );
  const changeId = await record(em, {
    submissionId, reportId: null, from: 'anonymous', to: 'verified', at: now,
    reason: 'the reporter confirmed the address through the mailed link', actor: `reporter:${identity}`,
  });
  return { changeId, previous: 'anonymous', trust: 'verified' };
}

/**
 * An analyst promotes or demotes one report. A promoted report without an identity gets the
 * submission's reporter address (normalised) — the analyst vouches for it — or, without one, an
 * identity of its own. `feed` is only for a report whose channel was bound to a feedback loop (or a trap hit).
 */
export async function setReportTrust(em: EntityManager, reportId: string, to: ReporterTrust, reason: string, actor: string, now: Date): Promise<RecordedChange & { submissionId: string }> {
  const [r]: { reporter_trust: ReporterTrust; submission_id: string; reporter_identity: string | null; reporter: string | null; feedback_loop: string | null; channel: string }[] =
    await em.query(
      `SELECT r.reporter_trust, r.submission_id, s.reporter_identity, s.reporter, s.feedback_loop, s.channel
         FROM reports r JOIN submissions s ON s.id = r.submission_id WHERE r.id = $1 FOR UPDATE OF r`,
      [reportId],
    );
  if (!r) throw new AppError('not_found', `no report ${reportId}`);
  // A trap hit's channel is our own front door: `feed` as it arrived, so it may be restored to it.
  if (to === 'feed' && !r.feedback_loop && r.channel !== 'trap') {
    throw new AppError('validation_failed', 'feed trust comes only from a channel bound to a feedback loop; this report did not arrive over one', {
      problems: [{ field: 'trust', message: 'feed needs a bound feedback loop' }],
    });
  }
  if (r.reporter_trust === to) return { changeId: null, previous: to, trust: to, submissionId: r.submission_id };
  if (to !== 'anonymous' && !r.reporter_identity) {
    const identity = (r.reporter && !r.reporter.startsWith('pseud:') ? addressIdentity(r.reporter) : null) ?? r.reporter ?? `report:${reportId}`;
    await em.query(`UPDATE submissions SET reporter_identity = $2 WHERE id = $1 AND reporter_identity IS NULL`, [r.submission_id, identity]);
  }
  await em.query(`UPDATE reports SET reporter_trust = $2 WHERE id = $1`, [reportId, to]);
  const changeId = await record(em, { submissionId: r.submission_id, reportId, from: r.reporter_trust, to, reason, actor, at: now });
  return { changeId, previous: r.reporter_trust, trust: to, submissionId: r.submission_id };
}

export interface TrustChangeView {
  id: string;
  from: ReporterTrust;
  to: ReporterTrust;
  reason: string;
  actor: string;
  at: string;
  appliedAt: string | null;
  effect: string | null;
}

/** The trust history of one report: its own changes and its submission's (confirmations). */
export async function trustHistory(em: EntityManager, reportId: string): Promise<TrustChangeView[]> {
  const rows: { id: string; from_trust: ReporterTrust; to_trust: ReporterTrust; reason: string; actor: string; at: Date; applied_at: Date | null; effect: string | null }[] =
    await em.query(
      `SELECT c.id::text, c.from_trust, c.to_trust, c.reason, c.actor, c.at, c.applied_at, c.effect
         FROM report_trust_changes c JOIN reports r ON r.id = $1
        WHERE c.report_id = r.id OR (c.report_id IS NULL AND c.submission_id = r.submission_id)
        ORDER BY c.at, c.id`,
      [reportId],
    );
  return rows.map((c) => ({
    id: c.id, from: c.from_trust, to: c.to_trust, reason: c.reason, actor: c.actor, at: c.at.toISOString(),
    appliedAt: c.applied_at?.toISOString() ?? null, effect: c.effect,
  }));
}
