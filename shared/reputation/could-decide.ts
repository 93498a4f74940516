import type { ReputationSettings } from './settings.ts';

/** What the worker knows about a subject right after updating it, without further queries. */
export interface SubjectAfterUpdate {
  kind: 'ip' | 'tenant' | 'domain';
  /** Score at `now` (just written, so already decayed). */
  score: number;
  platform: boolean;
  /** Delivered volume posted for the 24 h before now, or null when none. */
  delivered24h: number | null;
}

/**
 * Whether a listing (IP) or flag (tenant) decision could come out positive, so the decision's
 * queries (distinct reporters, complaints, volume) are worth running. Sound, not exact: it only
 * rules out what `decideIpListing`/`decideTenantFlag` can never act on — a score below the list
 * threshold with no acting complaint rate (which needs at least `rateMinVolume` delivered).
 * Why: most reports land far below the threshold, and those queries ran under the hot row locks.
 */
export function couldCrossThreshold(st: SubjectAfterUpdate, s: ReputationSettings): boolean {
  if (st.kind === 'domain') return false;
  if (st.kind === 'ip' && st.platform) return false;
  if (st.score >= s.listThreshold) return true;
  return st.delivered24h !== null && st.delivered24h > 0 && st.delivered24h >= s.rateMinVolume;
}
