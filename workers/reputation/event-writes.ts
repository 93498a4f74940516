import type { EntityManager } from 'typeorm';
import type { SubjectRow } from '../../shared/reputation/store/subject-state.ts';
import { effectiveWeight } from '../../shared/reputation/weights.ts';
import type { SubjectRef } from './subjects-of.ts';
import { foldWeights } from './reputation-decisions.ts';

/** One reputation event about to be written: a report's complaint about one subject. */
export interface Event {
  reportId: string;
  subject: SubjectRef;
  /** The distinct-reporter identity (the channel's, never a header of the message). */
  reporter: string;
  base: number;
  baseReason: string;
  weight: number;
  reason: string;
  /** When the complaint was made: now, or a promoted report's own time (its weight decays from then). */
  at: Date;
}

const sid = (s: { kind: string; key: string }) => `${s.kind}\u0000${s.key}`;
export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const latest = (events: Event[]) => new Date(Math.max(...events.map((e) => e.at.getTime())));

/**
 * Counts each positive complaint against its (subject, reporter) row in one upsert and sets each
 * event's weight: repeats diminish only while the reporter's earlier reports still count. The
 * upsert's RETURNING gives the count after the increment, so no row is read before it is locked
 * (two transactions cannot both see the same "prior"). Rows are locked in one sorted order.
 */
export async function weighRepeats(em: EntityManager, events: Event[], now: Date, windowMs: number): Promise<void> {
  const groups = new Map<string, Event[]>();
  for (const e of events) {
    if (e.base <= 0) continue; // retractions are not counted and never diminished
    const k = `${sid(e.subject)}\u0000${e.reporter}`;
    const g = groups.get(k);
    if (g) g.push(e);
    else groups.set(k, [e]);
  }
  if (groups.size === 0) return;
  const keys = [...groups.keys()].sort(byText);
  const first = keys.map((k) => groups.get(k)![0]!);
  const window = new Date(now.getTime() - windowMs);
  const returned: { kind: string; key: string; reporter: string; reports: number }[] = await em.query(
    `INSERT INTO reputation_reporters (kind, key, reporter, reports, last_at)
     SELECT k, v, r, n, a FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[]) WITH ORDINALITY AS t(k, v, r, n, a, o) ORDER BY o
     ON CONFLICT (kind, key, reporter) DO UPDATE
       SET reports = CASE WHEN reputation_reporters.last_at > $6 THEN reputation_reporters.reports ELSE 0 END + EXCLUDED.reports,
           last_at = greatest(reputation_reporters.last_at, EXCLUDED.last_at)
     RETURNING kind, key, reporter, reports`,
    [first.map((e) => e.subject.kind), first.map((e) => e.subject.key), first.map((e) => e.reporter), keys.map((k) => groups.get(k)!.length),
      keys.map((k) => latest(groups.get(k)!)), window],
  );
  for (const r of returned) {
    const group = groups.get(`${r.kind}\u0000${r.key}\u0000${r.reporter}`)!;
    let prior = r.reports - group.length;
    for (const e of group) {
      e.weight = effectiveWeight(e.base, prior);
      e.reason = prior > 0 ? `${e.baseReason}; repeat #${prior + 1} from this reporter × ${0.5 ** prior}` : e.baseReason;
      prior++;
    }
  }
}

/** `alreadyActed`: the IP is listed / the tenant has an open flag, so no decision can add anything. */
export type UpdatedSubject = SubjectRow & { delivered24h: string | null; alreadyActed: boolean };

/**
 * Inserts the events and applies them to the subject rows in ONE statement: the upsert decays the
 * stored score to `now` and adds the folded weights (each decayed from its event's time: zero on
 * the intake path), locking the subjects in (kind, key) order. Returns each subject as written
 * plus its posted 24 h volume and whether it is already listed or flagged (for the precheck).
 */
export async function writeEventsAndScores(em: EntityManager, events: Event[], now: Date, halfLifeMs: number): Promise<UpdatedSubject[]> {
  const per = new Map<string, { ref: SubjectRef; weights: number[]; platform: boolean; last: number }>();
  const nowMs = now.getTime();
  for (const e of events) {
    const w = e.at.getTime() >= nowMs ? e.weight : e.weight * 2 ** (-(nowMs - e.at.getTime()) / halfLifeMs);
    const p = per.get(sid(e.subject));
    if (p) {
      p.weights.push(w);
      p.platform ||= e.subject.platform;
      p.last = Math.max(p.last, e.at.getTime());
    } else per.set(sid(e.subject), { ref: e.subject, weights: [w], platform: e.subject.platform, last: e.at.getTime() });
  }
  const subs = [...per.entries()].sort((a, b) => byText(a[0], b[0])).map(([, v]) => ({ ...v, ...foldWeights(v.weights) }));
  return em.query(
    `WITH ev AS (
       INSERT INTO reputation_events (report_id, kind, key, reporter, weight, reason, at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $15::timestamptz[])
       ON CONFLICT (report_id, kind, key) DO NOTHING
     )
     INSERT INTO reputation_subjects AS s (kind, key, score, updated_at, reports, last_report_at, platform)
     SELECT k, v, greatest(total, floor_), $14, n, l, p
       FROM unnest($7::text[], $8::text[], $9::float8[], $10::float8[], $11::int[], $12::bool[], $16::timestamptz[]) WITH ORDINALITY AS t(k, v, total, floor_, n, p, l, o)
      ORDER BY o
     ON CONFLICT (kind, key) DO UPDATE SET
       -- EXCLUDED holds one score; the fold needs two numbers, so they are looked up again.
       score = (SELECT greatest(s.score * power(2::float8, -greatest(0, extract(epoch FROM $14::timestamptz - s.updated_at)::float8 * 1000) / $13::float8) + f.total, f.floor_)
                  FROM unnest($7::text[], $8::text[], $9::float8[], $10::float8[]) AS f(k, v, total, floor_) WHERE f.k = s.kind AND f.v = s.key),
       updated_at = $14, reports = s.reports + EXCLUDED.reports,
       last_report_at = greatest(s.last_report_at, EXCLUDED.last_report_at), platform = s.platform OR EXCLUDED.platform
     RETURNING s.kind, s.key, s.score, s.updated_at, s.reports, s.last_report_at, s.platform,
       CASE WHEN s.kind IN ('ip', 'tenant') THEN (SELECT sum(delivered)::text FROM delivery_volume d
         WHERE d.kind = s.kind AND d.key = s.key AND d.hour > $14::timestamptz - interval '24 hours' AND d.hour <= $14) END AS "delivered24h",
       CASE s.kind WHEN 'ip' THEN EXISTS (SELECT 1 FROM listings l WHERE l.ip = s.key::inet)
                   WHEN 'tenant' THEN EXISTS (SELECT 1 FROM tenant_flags f WHERE f.tenant_id = s.key AND f.cleared_at IS NULL)
                   ELSE false END AS "alreadyActed"`,
    [
      events.map((e) => e.reportId), events.map((e) => e.subject.kind), events.map((e) => e.subject.key), events.map((e) => e.reporter),
      events.map((e) => e.weight), events.map((e) => e.reason),
      subs.map((x) => x.ref.kind), subs.map((x) => x.ref.key), subs.map((x) => x.total), subs.map((x) => x.floor), subs.map((x) => x.weights.length), subs.map((x) => x.platform),
      halfLifeMs, now, events.map((e) => e.at), subs.map((x) => new Date(x.last)),
    ],
  );
}
