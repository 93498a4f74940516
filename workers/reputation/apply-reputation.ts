import type { EntityManager } from 'typeorm';
import type { AnalyzedReport } from '../../shared/analysis/types.ts';
import { reporterWindowMs } from '../../shared/reputation/decay.ts';
import { couldCrossThreshold } from '../../shared/reputation/could-decide.ts';
import type { ReputationSettings } from '../../shared/reputation/settings.ts';
import { complaintWeight, effectiveWeight } from '../../shared/reputation/weights.ts';
import { afterCommit } from '../../shared/reputation/store/after-commit.ts';
import type { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import type { SubjectRow } from '../../shared/reputation/store/subject-state.ts';
import { subjectsOf, type SubjectRef } from './subjects-of.ts';
import { foldWeights, maybeFlag, maybeList } from './reputation-decisions.ts';

export interface ReputationContext {
  settings: ReputationSettings;
  /** The Redis copy to bring in step after commit; omitted → Postgres only. */
  cache?: IpCache;
  /** The platform's networks (from the imported tenancy); `viaPlatform` relays count as platform anyway. */
  platformNetworks?: () => Promise<{ has(ip: string): boolean }>;
  /** Injected clock (tests). @defaultValue Date.now */
  now?: () => number;
}

export interface ReputationOutcome {
  events: number;
  listed: string[];
  flagged: string[];
}

/** One submission's newly inserted report ids and its analysed reports (indexed by `reports.idx`). */
export interface ReputationItem {
  insertedIds: string[];
  reports: AnalyzedReport[];
}

interface Event {
  reportId: string;
  subject: SubjectRef;
  reporter: string;
  base: number;
  baseReason: string;
  weight: number;
  reason: string;
}

/** Submission categories from the web form that name a feedback type when the report has none. */
const CATEGORY_TYPES = new Set(['abuse', 'fraud', 'virus', 'phishing', 'malware', 'scam', 'spam']);

/**
 * Applies the reputation effects of a submission's NEWLY INSERTED reports, inside the caller's
 * transaction: a redelivered job inserts no report, so it adds no score.
 */
export async function applyReputation(em: EntityManager, insertedIds: string[], reports: AnalyzedReport[], ctx: ReputationContext): Promise<ReputationOutcome> {
  return applyReputationBatch(em, [{ insertedIds, reports }], ctx);
}

/**
 * The same for several submissions committed together. Set-based: one statement for the reporter
 * counts, one for the events plus the subject scores. The hot subject rows are locked LAST, by
 * one upsert in (kind, key) order (deadlock-free), so a popular IP is held for the few round trips
 * before COMMIT rather than the whole transaction. Score math equals applying the events one by
 * one in report order (see `foldWeights`).
 */
export async function applyReputationBatch(em: EntityManager, items: ReputationItem[], ctx: ReputationContext): Promise<ReputationOutcome> {
  const outcome: ReputationOutcome = { events: 0, listed: [], flagged: [] };
  const allIds = items.flatMap((i) => i.insertedIds);
  if (allIds.length === 0) return outcome;
  const now = new Date((ctx.now ?? Date.now)());
  const s = ctx.settings;

  const rows: { id: string; submission_id: string; idx: number; reporter: string | null; s_reporter: string | null; envelope_from: string | null; category: string | null }[] =
    await em.query(
      `SELECT r.id, r.submission_id, r.idx, r.reporter, s.reporter AS s_reporter, s.envelope_from, s.category
         FROM reports r JOIN submissions s ON s.id = r.submission_id WHERE r.id = ANY($1::uuid[])`,
      [allIds],
    );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const platform = ctx.platformNetworks ? await ctx.platformNetworks() : null;
  const isPlatformIp = (ip: string) => platform?.has(ip) ?? false;
  const events: Event[] = [];
  for (const item of items) {
    // Report order within a submission, submissions in batch order: the order events apply in.
    const mine = item.insertedIds.map((i) => byId.get(i)).filter((r) => r !== undefined).sort((a, b) => a.idx - b.idx);
    for (const row of mine) {
      const report = item.reports[row.idx];
      if (!report) continue;
      // The reporter: wrapper From / FBL provider, else the submission's reporter, envelope sender or form email.
      const reporter = (report.reporter ?? row.reporter ?? row.s_reporter ?? row.envelope_from ?? 'anonymous').trim().toLowerCase();
      const category = row.category?.toLowerCase() ?? '';
      const w = complaintWeight(report.feedbackType ?? (CATEGORY_TYPES.has(category) ? category : null));
      for (const subject of subjectsOf(report, isPlatformIp)) {
        events.push({ reportId: row.id, subject, reporter, base: w.weight, baseReason: w.reason, weight: w.weight, reason: w.reason });
      }
    }
  }
  if (events.length === 0) return outcome;

  await weighRepeats(em, events, now, reporterWindowMs(s.halfLifeMs));
  const subjects = await writeEventsAndScores(em, events, now, s.halfLifeMs);
  outcome.events = events.length;

  const ips: string[] = [];
  for (const subj of subjects) {
    if (subj.kind === 'ip') ips.push(subj.key);
    // Known in the same statement: a hot IP that is already listed costs no query under its row lock.
    if (subj.alreadyActed || !couldCrossThreshold({ ...subj, delivered24h: subj.delivered24h === null ? null : Number(subj.delivered24h) }, s)) continue;
    if (subj.kind === 'ip' && (await maybeList(em, subj, s, now))) outcome.listed.push(subj.key);
    else if (subj.kind === 'tenant' && (await maybeFlag(em, subj, s, now))) outcome.flagged.push(subj.key);
  }
  const cache = ctx.cache;
  if (cache && ips.length) afterCommit(em, () => cache.sync(em.connection, ips));
  return outcome;
}

const sid = (s: { kind: string; key: string }) => `${s.kind}\u0000${s.key}`;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Counts each positive complaint against its (subject, reporter) row in one upsert and sets each
 * event's weight: repeats diminish only while the reporter's earlier reports still count. The
 * upsert's RETURNING gives the count after the increment, so no row is read before it is locked
 * (two transactions cannot both see the same "prior"). Rows are locked in one sorted order.
 */
async function weighRepeats(em: EntityManager, events: Event[], now: Date, windowMs: number): Promise<void> {
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
     SELECT k, v, r, n, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) WITH ORDINALITY AS t(k, v, r, n, o) ORDER BY o
     ON CONFLICT (kind, key, reporter) DO UPDATE
       SET reports = CASE WHEN reputation_reporters.last_at > $6 THEN reputation_reporters.reports ELSE 0 END + EXCLUDED.reports, last_at = $5
     RETURNING kind, key, reporter, reports`,
    [first.map((e) => e.subject.kind), first.map((e) => e.subject.key), first.map((e) => e.reporter), keys.map((k) => groups.get(k)!.length), now, window],
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
type UpdatedSubject = SubjectRow & { delivered24h: string | null; alreadyActed: boolean };

/**
 * Inserts the events and applies them to the subject rows in ONE statement: the upsert decays the
 * stored score to `now` and adds the folded weights, locking the subjects in (kind, key) order.
 * Returns each subject as written plus its posted 24 h volume and whether it is already listed or
 * flagged (for the decision precheck).
 */
async function writeEventsAndScores(em: EntityManager, events: Event[], now: Date, halfLifeMs: number): Promise<UpdatedSubject[]> {
  const per = new Map<string, { ref: SubjectRef; weights: number[]; platform: boolean }>();
  for (const e of events) {
    const p = per.get(sid(e.subject));
    if (p) {
      p.weights.push(e.weight);
      p.platform ||= e.subject.platform;
    } else per.set(sid(e.subject), { ref: e.subject, weights: [e.weight], platform: e.subject.platform });
  }
  const subs = [...per.entries()].sort((a, b) => byText(a[0], b[0])).map(([, v]) => ({ ...v, ...foldWeights(v.weights) }));
  return em.query(
    `WITH ev AS (
       INSERT INTO reputation_events (report_id, kind, key, reporter, weight, reason, at)
       SELECT *, $14::timestamptz FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[])
       ON CONFLICT (report_id, kind, key) DO NOTHING
     )
     INSERT INTO reputation_subjects AS s (kind, key, score, updated_at, reports, last_report_at, platform)
     SELECT k, v, greatest(total, floor_), $14, n, $14, p
       FROM unnest($7::text[], $8::text[], $9::float8[], $10::float8[], $11::int[], $12::bool[]) WITH ORDINALITY AS t(k, v, total, floor_, n, p, o)
      ORDER BY o
     ON CONFLICT (kind, key) DO UPDATE SET
       -- EXCLUDED holds one score; the fold needs two numbers, so they are looked up again.
       score = (SELECT greatest(s.score * power(2::float8, -greatest(0, extract(epoch FROM $14::timestamptz - s.updated_at)::float8 * 1000) / $13::float8) + f.total, f.floor_)
                  FROM unnest($7::text[], $8::text[], $9::float8[], $10::float8[]) AS f(k, v, total, floor_) WHERE f.k = s.kind AND f.v = s.key),
       updated_at = $14, reports = s.reports + EXCLUDED.reports, last_report_at = $14, platform = s.platform OR EXCLUDED.platform
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
      halfLifeMs, now,
    ],
  );
}
