import type { EntityManager } from 'typeorm';
import { complaintRate } from '../complaint-rate.ts';
import { decayedScore, reporterWindowMs } from '../decay.ts';
import type { SubjectState } from '../decisions.ts';
import type { ReputationSettings } from '../settings.ts';

export type SubjectKind = 'ip' | 'tenant' | 'domain';

export interface SubjectRow {
  kind: SubjectKind;
  key: string;
  score: number;
  updated_at: Date;
  reports: number;
  last_report_at: Date | null;
  platform: boolean;
}

export async function getSubject(em: EntityManager, kind: SubjectKind, key: string): Promise<SubjectRow | null> {
  const [row]: SubjectRow[] = await em.query(`SELECT * FROM reputation_subjects WHERE kind = $1 AND key = $2`, [kind, key]);
  return row ?? null;
}

/** Positive complaints in the 24 h before `now` (the numerator of the complaint rate). */
async function complaints24h(em: EntityManager, kind: SubjectKind, key: string, now: Date): Promise<number> {
  const [{ n }]: [{ n: number }] = await em.query(
    `SELECT count(*)::int AS n FROM reputation_events
      WHERE kind = $1 AND key = $2 AND weight > 0 AND at > $3::timestamptz - interval '24 hours' AND at <= $3`,
    [kind, key, now],
  );
  return n;
}

/** Delivered messages the platform posted for the 24 h before `now`, or null when none were posted. */
async function delivered24h(em: EntityManager, kind: SubjectKind, key: string, now: Date): Promise<number | null> {
  if (kind === 'domain') return null;
  const [{ n }]: [{ n: string | null }] = await em.query(
    `SELECT sum(delivered)::text AS n FROM delivery_volume
      WHERE kind = $1 AND key = $2 AND hour > $3::timestamptz - interval '24 hours' AND hour <= $3`,
    [kind, key, now],
  );
  return n === null ? null : Number(n);
}

/** Everything a decision needs about one subject, decayed to `now`. */
export async function subjectState(
  em: EntityManager,
  row: Pick<SubjectRow, 'kind' | 'key' | 'score' | 'updated_at'>,
  s: ReputationSettings,
  now: Date,
): Promise<SubjectState & { complaints24h: number; delivered24h: number | null }> {
  const [{ n }]: [{ n: number }] = await em.query(
    `SELECT count(*)::int AS n FROM reputation_reporters WHERE kind = $1 AND key = $2 AND last_at > $3`,
    [row.kind, row.key, new Date(now.getTime() - reporterWindowMs(s.halfLifeMs))],
  );
  const c = await complaints24h(em, row.kind, row.key, now);
  const d = await delivered24h(em, row.kind, row.key, now);
  return {
    score: decayedScore(row.score, row.updated_at.getTime(), now.getTime(), s.halfLifeMs),
    distinctReporters: n,
    rate: complaintRate(c, d, s),
    complaints24h: c,
    delivered24h: d,
  };
}
