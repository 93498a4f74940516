import type { ReputationSettings } from './settings.ts';
import type { ComplaintRate } from './complaint-rate.ts';

/** What is known about one subject at `now`, already decayed. */
export interface SubjectState {
  /** Decayed score at now. */
  score: number;
  /** Distinct reporters with a positive complaint inside the reporter window. */
  distinctReporters: number;
  rate: ComplaintRate;
}

export interface Decision<A extends string> {
  action: A;
  /** Human-readable reasons, shown to analysts, in the lookup and in the listing history. */
  reasons: string[];
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);

/** Whether the score alone has crossed the threshold with enough distinct reporters. */
function scoreVerdict(st: SubjectState, s: ReputationSettings): { crossed: boolean; reasons: string[] } {
  if (st.score < s.listThreshold) return { crossed: false, reasons: [`score ${fmt(st.score)} below ${s.listThreshold}`] };
  if (st.distinctReporters < s.listMinReporters) {
    return { crossed: false, reasons: [`score ${fmt(st.score)} ≥ ${s.listThreshold} but only ${st.distinctReporters} distinct reporters (need ${s.listMinReporters})`] };
  }
  return { crossed: true, reasons: [`score ${fmt(st.score)} ≥ ${s.listThreshold} from ${st.distinctReporters} distinct reporters`] };
}

/**
 * Listing decision for an IP. Platform addresses are never listed (blocking our own egress
 * would block every tenant); the tenant behind them is flagged instead.
 */
export function decideIpListing(st: SubjectState & { platform: boolean }, s: ReputationSettings): Decision<'list' | 'watch' | 'none'> {
  if (st.platform) return { action: 'none', reasons: ['platform address: never listed; the tenant is flagged instead'] };
  const v = scoreVerdict(st, s);
  const reasons = [...v.reasons, ...(st.rate.reason ? [st.rate.reason] : [])];
  if (v.crossed || st.rate.level === 'list') return { action: 'list', reasons };
  const near = st.score >= s.listThreshold || st.rate.level === 'watch';
  return { action: near ? 'watch' : 'none', reasons };
}

/** Tenants are never listed: crossing the same thresholds flags them for an analyst. */
export function decideTenantFlag(st: SubjectState, s: ReputationSettings): Decision<'flag' | 'watch' | 'none'> {
  const d = decideIpListing({ ...st, platform: false }, s);
  return { action: d.action === 'list' ? 'flag' : d.action, reasons: d.reasons };
}

/**
 * A listing expires by itself once the decayed score is below DELIST_THRESHOLD — unless a
 * known complaint rate still says "list".
 */
export function decideExpiry(st: { score: number; rate: ComplaintRate }, s: ReputationSettings): Decision<'expire' | 'keep'> {
  if (st.rate.level === 'list') return { action: 'keep', reasons: [st.rate.reason!] };
  if (st.score < s.delistThreshold) {
    return { action: 'expire', reasons: [`score decayed to ${fmt(st.score)}, below ${s.delistThreshold}`] };
  }
  return { action: 'keep', reasons: [`score ${fmt(st.score)} still ≥ ${s.delistThreshold}`] };
}

export interface DelistState {
  score: number;
  /** ms epoch of the last report, or null when none is on record. */
  lastReportAt: number | null;
  /** Times this IP was removed (expired, delisted) in the last 30 days. */
  removals30d: number;
  now: number;
  /** An analyst listed it: only an analyst removes it before its own expiry. @defaultValue false */
  manual?: boolean;
}

/**
 * A self-service delist request: removed automatically when the score has decayed below
 * DELIST_THRESHOLD × k or the last report is old, and the IP has not been removed too often
 * recently (a sender that keeps relapsing gets a human); otherwise an analyst decides.
 */
export function decideDelist(st: DelistState, s: ReputationSettings): Decision<'auto' | 'analyst'> {
  const reasons: string[] = [];
  const limit = s.delistThreshold * s.delistAutoFactor;
  const lowScore = st.score < limit;
  reasons.push(lowScore ? `score ${fmt(st.score)} below ${fmt(limit)} (DELIST_THRESHOLD × ${s.delistAutoFactor})` : `score ${fmt(st.score)} not below ${fmt(limit)}`);
  const ageMs = st.lastReportAt === null ? Infinity : st.now - st.lastReportAt;
  const oldReport = ageMs > s.delistAutoAfterMs;
  const hours = (ms: number) => `${Math.round(ms / 3600_000)} h`;
  reasons.push(
    st.lastReportAt === null ? 'no report on record' : oldReport ? `last report ${hours(ageMs)} ago, older than ${hours(s.delistAutoAfterMs)}` : `last report ${hours(ageMs)} ago`,
  );
  const tooOften = st.removals30d >= s.maxRemovals30d;
  reasons.push(`${st.removals30d} removals in 30 days${tooOften ? ` (≥ ${s.maxRemovals30d}: needs an analyst)` : ''}`);
  if (st.manual) reasons.push('listed by an analyst: an analyst decides');
  return { action: (lowScore || oldReport) && !tooOften && !st.manual ? 'auto' : 'analyst', reasons };
}
