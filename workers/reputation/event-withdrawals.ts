import type { EntityManager } from 'typeorm';
import { reporterWindowMs } from '../../shared/reputation/decay.ts';
import { afterCommit } from '../../shared/reputation/store/after-commit.ts';
import type { SubjectRow } from '../../shared/reputation/store/subject-state.ts';
import type { ReputationContext } from './apply-events.ts';
import { byText } from './event-writes.ts';
import { returningRows } from '../../shared/db/returning-rows.ts';
import { maybeFlag, maybeList } from './reputation-decisions.ts';

export interface WithdrawalOutcome {
  events: number;
  listed: string[];
}

interface Touched {
  kind: string;
  key: string;
  reporter: string;
  weight: number;
  at: Date;
}

/**
 * Withdraws a demoted report's events (docs/reputation.md, "Demotion"): each event stays, marked
 * `withdrawn_at` with the reason, and its decayed contribution is taken off the subject's score
 * (never below zero). A listing is never ended here: it runs out by expiry, the delist rules or an
 * analyst. `onlyNegative` withdraws just the retractions (a feed report demoted to a non-feed trust).
 */
export async function withdrawEvents(em: EntityManager, reportIds: string[], reason: string, ctx: ReputationContext, now: Date, onlyNegative = false): Promise<WithdrawalOutcome> {
  const touched: Touched[] = await em.query(
    `UPDATE reputation_events SET withdrawn_at = $2, withdrawn_reason = $3
      WHERE report_id = ANY($1::uuid[]) AND withdrawn_at IS NULL AND ($4::bool IS FALSE OR weight < 0)
      RETURNING kind, key, reporter, weight, at`,
    [reportIds, now, reason.slice(0, 2000), onlyNegative],
  ).then((r: unknown) => returningRows<Touched>(r));
  await adjust(em, touched, -1, ctx, now);
  return { events: touched.length, listed: [] };
}

/**
 * Restores a re-promoted report's withdrawn events: the reverse of `withdrawEvents`, each adding
 * back its weight decayed from its own time; then the listing / flag rules run as after any report.
 * `withPositiveOnly` leaves retractions withdrawn (the report is not a feed's any more).
 */
export async function restoreEvents(em: EntityManager, reportIds: string[], ctx: ReputationContext, now: Date, withPositiveOnly: boolean): Promise<WithdrawalOutcome> {
  const touched: Touched[] = await em.query(
    `UPDATE reputation_events SET withdrawn_at = NULL, withdrawn_reason = NULL
      WHERE report_id = ANY($1::uuid[]) AND withdrawn_at IS NOT NULL AND ($2::bool IS FALSE OR weight > 0)
      RETURNING kind, key, reporter, weight, at`,
    [reportIds, withPositiveOnly],
  ).then((r: unknown) => returningRows<Touched>(r));
  const subjects = await adjust(em, touched, 1, ctx, now);
  const listed: string[] = [];
  for (const subj of subjects) {
    if (subj.kind === 'ip' && !subj.platform && (await maybeList(em, subj, ctx.settings, now))) listed.push(subj.key);
    else if (subj.kind === 'tenant') await maybeFlag(em, subj, ctx.settings, now);
  }
  return { events: touched.length, listed };
}

/**
 * Applies ±(decayed weights) to the subjects and recounts the touched (subject, reporter) rows from
 * the events still standing. Locks reporters, then subjects, each in sorted order — the same
 * order as the intake path, so the two cannot deadlock.
 */
async function adjust(em: EntityManager, touched: Touched[], sign: 1 | -1, ctx: ReputationContext, now: Date): Promise<SubjectRow[]> {
  if (touched.length === 0) return [];
  const h = ctx.settings.halfLifeMs;
  const pairs = new Map<string, [string, string, string]>();
  const deltas = new Map<string, { kind: string; key: string; delta: number; n: number }>();
  for (const t of touched) {
    pairs.set(`${t.kind}\u0000${t.key}\u0000${t.reporter}`, [t.kind, t.key, t.reporter]);
    const k = `${t.kind}\u0000${t.key}`;
    const d = deltas.get(k) ?? { kind: t.kind, key: t.key, delta: 0, n: 0 };
    d.delta += sign * t.weight * 2 ** (-Math.max(0, now.getTime() - t.at.getTime()) / h);
    d.n += sign;
    deltas.set(k, d);
  }
  const p = [...pairs.keys()].sort(byText).map((k) => pairs.get(k)!);
  await em.query(
    `SELECT 1 FROM reputation_reporters WHERE (kind, key, reporter) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))
      ORDER BY kind, key, reporter FOR UPDATE`,
    [p.map((x) => x[0]), p.map((x) => x[1]), p.map((x) => x[2])],
  );
  const window = new Date(now.getTime() - reporterWindowMs(h));
  await em.query(
    `WITH pairs AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS p(kind, key, reporter)),
          standing AS (SELECT p.kind, p.key, p.reporter, count(e.id) FILTER (WHERE e.at > $4)::int AS n, max(e.at) AS last
                         FROM pairs p LEFT JOIN reputation_events e ON e.kind = p.kind AND e.key = p.key AND e.reporter = p.reporter
                          AND e.weight > 0 AND e.withdrawn_at IS NULL
                        GROUP BY p.kind, p.key, p.reporter),
          gone AS (DELETE FROM reputation_reporters r USING standing s
                    WHERE s.last IS NULL AND r.kind = s.kind AND r.key = s.key AND r.reporter = s.reporter)
     INSERT INTO reputation_reporters (kind, key, reporter, reports, last_at)
     SELECT kind, key, reporter, n, last FROM standing WHERE last IS NOT NULL
     ON CONFLICT (kind, key, reporter) DO UPDATE SET reports = EXCLUDED.reports, last_at = EXCLUDED.last_at`,
    [p.map((x) => x[0]), p.map((x) => x[1]), p.map((x) => x[2]), window],
  );
  const d = [...deltas.values()].sort((a, b) => byText(`${a.kind}\u0000${a.key}`, `${b.kind}\u0000${b.key}`));
  await em.query(`SELECT 1 FROM reputation_subjects WHERE (kind, key) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY kind, key FOR UPDATE`, [
    d.map((x) => x.kind), d.map((x) => x.key),
  ]);
  const rows: SubjectRow[] = await em.query(
    `UPDATE reputation_subjects s
        SET score = greatest(0, s.score * power(2::float8, -greatest(0, extract(epoch FROM $5::timestamptz - s.updated_at)::float8 * 1000) / $6::float8) + v.delta),
            updated_at = $5, reports = greatest(0, s.reports + v.n)
       FROM unnest($1::text[], $2::text[], $3::float8[], $4::int[]) AS v(kind, key, delta, n)
      WHERE s.kind = v.kind AND s.key = v.key
      RETURNING s.kind, s.key, s.score, s.updated_at, s.reports, s.last_report_at, s.platform`,
    [d.map((x) => x.kind), d.map((x) => x.key), d.map((x) => x.delta), d.map((x) => x.n), now, h],
  ).then((r: unknown) => returningRows<SubjectRow>(r));
  const ips = rows.filter((r) => r.kind === 'ip').map((r) => r.key);
  const cache = ctx.cache;
  if (cache && ips.length) afterCommit(em, () => cache.sync(em.connection, ips));
  return rows;
}
