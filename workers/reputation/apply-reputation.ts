import type { EntityManager } from 'typeorm';
import type { AnalyzedReport } from '../../shared/analysis/types.ts';
import { addToScore, reporterWindowMs } from '../../shared/reputation/decay.ts';
import { decideIpListing, decideTenantFlag } from '../../shared/reputation/decisions.ts';
import type { ReputationSettings } from '../../shared/reputation/settings.ts';
import { complaintWeight, effectiveWeight } from '../../shared/reputation/weights.ts';
import { afterCommit } from '../../shared/reputation/store/after-commit.ts';
import type { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { addListing, getListing } from '../../shared/reputation/store/listings-repo.ts';
import { subjectState, type SubjectRow } from '../../shared/reputation/store/subject-state.ts';
import { subjectsOf, type SubjectRef } from './subjects-of.ts';

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

interface Event {
  reportId: string;
  subject: SubjectRef;
  reporter: string;
  base: number;
  baseReason: string;
}

/** Submission categories from the web form that name a feedback type when the report has none. */
const CATEGORY_TYPES = new Set(['abuse', 'fraud', 'virus', 'phishing', 'malware', 'scam', 'spam']);

/**
 * Applies the reputation effects of a submission's NEWLY INSERTED reports, inside the caller's
 * transaction: a redelivered job inserts no report, so it adds no score. Subjects are locked in
 * a fixed order so concurrent submissions about the same IP neither deadlock nor lose updates.
 */
export async function applyReputation(
  em: EntityManager,
  insertedIds: string[],
  reports: AnalyzedReport[],
  ctx: ReputationContext,
): Promise<ReputationOutcome> {
  const outcome: ReputationOutcome = { events: 0, listed: [], flagged: [] };
  if (insertedIds.length === 0) return outcome;
  const now = new Date((ctx.now ?? Date.now)());
  const s = ctx.settings;

  const rows: { id: string; idx: number; reporter: string | null; s_reporter: string | null; envelope_from: string | null; category: string | null }[] =
    await em.query(
      `SELECT r.id, r.idx, r.reporter, s.reporter AS s_reporter, s.envelope_from, s.category
         FROM reports r JOIN submissions s ON s.id = r.submission_id WHERE r.id = ANY($1::uuid[]) ORDER BY r.idx`,
      [insertedIds],
    );
  const platform = ctx.platformNetworks ? await ctx.platformNetworks() : null;
  const isPlatformIp = (ip: string) => platform?.has(ip) ?? false;
  const events: Event[] = [];
  for (const row of rows) {
    const report = reports[row.idx];
    if (!report) continue;
    // The reporter: wrapper From / FBL provider, else the submission's reporter, envelope sender or form email.
    const reporter = (report.reporter ?? row.reporter ?? row.s_reporter ?? row.envelope_from ?? 'anonymous').trim().toLowerCase();
    const category = row.category?.toLowerCase() ?? '';
    const w = complaintWeight(report.feedbackType ?? (CATEGORY_TYPES.has(category) ? category : null));
    for (const subject of subjectsOf(report, isPlatformIp)) events.push({ reportId: row.id, subject, reporter, base: w.weight, baseReason: w.reason });
  }
  if (events.length === 0) return outcome;

  const subjects = await lockSubjects(em, events, now);
  const window = new Date(now.getTime() - reporterWindowMs(s.halfLifeMs));
  for (const e of events) {
    const subj = subjects.get(id(e.subject))!;
    let prior = 0;
    if (e.base > 0) {
      const [rep]: { reports: number; last_at: Date }[] = await em.query(
        `SELECT reports, last_at FROM reputation_reporters WHERE kind = $1 AND key = $2 AND reporter = $3`,
        [e.subject.kind, e.subject.key, e.reporter],
      );
      // Repeats diminish only while the reporter's earlier reports still count.
      prior = rep && rep.last_at > window ? rep.reports : 0;
      await em.query(
        `INSERT INTO reputation_reporters (kind, key, reporter, reports, last_at) VALUES ($1, $2, $3, 1, $4)
         ON CONFLICT (kind, key, reporter) DO UPDATE SET reports = CASE WHEN reputation_reporters.last_at > $5 THEN reputation_reporters.reports + 1 ELSE 1 END, last_at = $4`,
        [e.subject.kind, e.subject.key, e.reporter, now, window],
      );
    }
    const weight = effectiveWeight(e.base, prior);
    const reason = prior > 0 ? `${e.baseReason}; repeat #${prior + 1} from this reporter × ${0.5 ** prior}` : e.baseReason;
    subj.score = addToScore(subj.score, subj.updated_at.getTime(), now.getTime(), s.halfLifeMs, weight);
    subj.updated_at = now;
    subj.reports += 1;
    subj.last_report_at = now;
    subj.platform ||= e.subject.platform;
    await em.query(
      `INSERT INTO reputation_events (report_id, kind, key, reporter, weight, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (report_id, kind, key) DO NOTHING`,
      [e.reportId, e.subject.kind, e.subject.key, e.reporter, weight, reason, now],
    );
    outcome.events++;
  }

  const ips: string[] = [];
  for (const subj of subjects.values()) {
    await em.query(
      `UPDATE reputation_subjects SET score = $3, updated_at = $4, reports = $5, last_report_at = $6, platform = $7 WHERE kind = $1 AND key = $2`,
      [subj.kind, subj.key, subj.score, subj.updated_at, subj.reports, subj.last_report_at, subj.platform],
    );
    if (subj.kind === 'ip') {
      ips.push(subj.key);
      if (await maybeList(em, subj, s, now)) outcome.listed.push(subj.key);
    } else if (subj.kind === 'tenant' && (await maybeFlag(em, subj, s, now))) {
      outcome.flagged.push(subj.key);
    }
  }
  const cache = ctx.cache;
  if (cache && ips.length) afterCommit(em, () => cache.sync(em.connection, ips));
  return outcome;
}

const id = (s: { kind: string; key: string }) => `${s.kind}\u0000${s.key}`;

/** Creates missing subject rows, then locks all of them in (kind, key) order. */
async function lockSubjects(em: EntityManager, events: Event[], now: Date): Promise<Map<string, SubjectRow>> {
  const uniq = [...new Map(events.map((e) => [id(e.subject), e.subject])).values()].sort((a, b) => (id(a) < id(b) ? -1 : 1));
  const kinds = uniq.map((u) => u.kind);
  const keys = uniq.map((u) => u.key);
  await em.query(
    `INSERT INTO reputation_subjects (kind, key, score, updated_at) SELECT k, v, 0, $3 FROM unnest($1::text[], $2::text[]) AS t(k, v)
     ON CONFLICT (kind, key) DO NOTHING`,
    [kinds, keys, now],
  );
  const rows: SubjectRow[] = await em.query(
    `SELECT * FROM reputation_subjects WHERE (kind, key) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY kind, key FOR UPDATE`,
    [kinds, keys],
  );
  return new Map(rows.map((r) => [id(r), r]));
}

async function maybeList(em: EntityManager, subj: SubjectRow, s: ReputationSettings, now: Date): Promise<boolean> {
  if (await getListing(em, subj.key)) return false;
  const st = await subjectState(em, subj, s, now);
  const d = decideIpListing({ ...st, platform: subj.platform }, s);
  return d.action === 'list' && addListing(em, subj.key, d.reasons, 'system', now);
}

async function maybeFlag(em: EntityManager, subj: SubjectRow, s: ReputationSettings, now: Date): Promise<boolean> {
  const [open]: unknown[] = await em.query(`SELECT 1 FROM tenant_flags WHERE tenant_id = $1 AND cleared_at IS NULL`, [subj.key]);
  if (open) return false;
  const st = await subjectState(em, subj, s, now);
  const d = decideTenantFlag(st, s);
  if (d.action !== 'flag') return false;
  await em.query(
    `INSERT INTO tenant_flags (tenant_id, flagged_at, score, reasons) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (tenant_id) DO UPDATE SET flagged_at = $2, score = $3, reasons = $4::jsonb, cleared_at = NULL`,
    [subj.key, now, st.score, JSON.stringify(d.reasons)],
  );
  return true;
}
