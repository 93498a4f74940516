import type { ReputationSettings } from './settings.ts';

export type RateLevel = 'unknown' | 'informative' | 'ok' | 'watch' | 'list';

export interface ComplaintRate {
  /** complaints / delivered over 24 h, or null when no volume is known. */
  rate: number | null;
  level: RateLevel;
  reason: string | null;
}

const pct = (r: number) => `${(r * 100).toFixed(3).replace(/\.?0+$/, '')}%`;

/**
 * The 24 h complaint rate against the delivered volume the platform posted (Google's bulk-sender
 * thresholds: 0.1% warn, 0.3% act). Below the minimum volume a rate is shown but not acted on:
 * 1 complaint in 50 messages says little.
 */
export function complaintRate(complaints: number, delivered: number | null, s: ReputationSettings): ComplaintRate {
  if (!delivered || delivered <= 0) return { rate: null, level: 'unknown', reason: null };
  const rate = Math.max(0, complaints) / delivered;
  const what = `complaint rate ${pct(rate)} (${complaints} complaints / ${delivered} delivered in 24 h)`;
  if (delivered < s.rateMinVolume) return { rate, level: 'informative', reason: `${what}; volume below ${s.rateMinVolume}, not acted on` };
  if (rate >= s.rateList) return { rate, level: 'list', reason: `${what} ≥ ${pct(s.rateList)}` };
  if (rate >= s.rateWatch) return { rate, level: 'watch', reason: `${what} ≥ ${pct(s.rateWatch)} (watch)` };
  return { rate, level: 'ok', reason: `${what} below ${pct(s.rateWatch)}` };
}
