import type { EntityManager } from 'typeorm';
import { reporterWindowMs } from '../../shared/reputation/decay.ts';
import { couldCrossThreshold } from '../../shared/reputation/could-decide.ts';
import type { ReputationSettings } from '../../shared/reputation/settings.ts';
import { complaintWeight, type ComplaintWeight } from '../../shared/reputation/weights.ts';
import { afterCommit } from '../../shared/reputation/store/after-commit.ts';
import type { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { trustAtLeast, type ReporterTrust } from '../../shared/trust/reporter-trust.ts';
import { subjectsOf, type SubjectSource } from './subjects-of.ts';
import { maybeFlag, maybeList } from './reputation-decisions.ts';
import { weighRepeats, writeEventsAndScores, type Event } from './event-writes.ts';
import { retractableSubjects } from './retractions.ts';

export interface ReputationContext {
  settings: ReputationSettings;
  /** The Redis copy to bring in step after commit; omitted → Postgres only. */
  cache?: IpCache;
  /** The platform's networks (from the imported tenancy); `viaPlatform` relays count as platform anyway. */
  platformNetworks?: (em?: EntityManager) => Promise<{ has(ip: string): boolean }>;
  /** Injected clock (tests). @defaultValue Date.now */
  now?: () => number;
}

export interface ReputationOutcome {
  events: number;
  listed: string[];
  flagged: string[];
}

/** A stored report that may move reputation, with what its channel vouched for. */
export interface Candidate {
  reportId: string;
  trust: ReporterTrust;
  /** The channel's identity (submissions.reporter_identity); null → one shared "unidentified" reporter. */
  identity: string | null;
  /** The feedback loop its channel was bound to: retractions need it. */
  feedbackLoop: string | null;
  source: SubjectSource;
  weight: ComplaintWeight;
  /** When the complaint counts from: now on the intake path, the report's own time when applied later. */
  at: Date;
}

/** Submission categories from the web form that name a feedback type when the report has none. */
const CATEGORY_TYPES = new Set(['abuse', 'fraud', 'virus', 'phishing', 'malware', 'scam', 'spam']);

export function baseWeight(feedbackType: string | null, category: string | null): ComplaintWeight {
  const c = category?.toLowerCase() ?? '';
  return complaintWeight(feedbackType ?? (CATEGORY_TYPES.has(c) ? c : null));
}

/** Rule 1 of docs/reputation.md: only reports at least REPUTATION_MIN_TRUST count. */
export function moves(trust: ReporterTrust, s: ReputationSettings): boolean {
  return trustAtLeast(trust, s.minTrust);
}

/**
 * Applies the candidates' effects inside the caller's transaction, set-based: one statement for
 * the reporter counts, one for the events plus the subject scores. The hot subject rows are locked
 * LAST, by one upsert in (kind, key) order (deadlock-free), so a popular IP is held for the few
 * round trips before COMMIT. Candidates below the minimum trust add nothing; a retraction counts
 * only from a feed about a subject that feed reported before (`retractions.ts`).
 */
export async function applyCandidates(em: EntityManager, candidates: Candidate[], ctx: ReputationContext, now: Date): Promise<ReputationOutcome> {
  const outcome: ReputationOutcome = { events: 0, listed: [], flagged: [] };
  const s = ctx.settings;
  const counting = candidates.filter((c) => moves(c.trust, s));
  if (counting.length === 0) return outcome;
  const platform = ctx.platformNetworks ? await ctx.platformNetworks(em) : null;
  const isPlatformIp = (ip: string) => platform?.has(ip) ?? false;

  const events: Event[] = [];
  const retractions: Event[] = [];
  for (const c of counting) {
    const reporter = c.identity ?? 'unidentified';
    for (const subject of subjectsOf(c.source, isPlatformIp)) {
      const e: Event = { reportId: c.reportId, subject, reporter, base: c.weight.weight, baseReason: c.weight.reason, weight: c.weight.weight, reason: c.weight.reason, at: c.at };
      if (c.weight.weight >= 0) events.push(e);
      else if (c.trust === 'feed' && c.feedbackLoop) retractions.push(Object.assign(e, { loop: c.feedbackLoop }));
    }
  }
  if (retractions.length) events.push(...(await retractableSubjects(em, retractions as (Event & { loop: string })[])));
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
