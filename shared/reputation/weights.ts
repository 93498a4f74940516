/**
 * What one complaint is worth. Pure: the caller supplies the feedback type and how often this
 * reporter already complained about the same subject.
 */

/** Full weight: the feedback types that mean "this is abuse" (RFC 5965 §7.3 plus the form's categories). */
const FULL = new Set(['abuse', 'fraud', 'virus', 'phishing', 'malware', 'scam', 'spam']);
/** Weaker signals: a failed authentication or an unspecific complaint says less about the sender. */
const PARTIAL: Record<string, number> = { 'auth-failure': 0.5, dmarc: 0.5, other: 0.5 };
export const NOT_SPAM_WEIGHT = -1;
export const UNKNOWN_TYPE_WEIGHT = 0.5;

export interface ComplaintWeight {
  weight: number;
  reason: string;
}

/**
 * The base weight of a complaint by feedback type. A forward without a type is a person saying
 * "this is spam", so it counts in full; `not-spam` subtracts.
 */
export function complaintWeight(feedbackType: string | null | undefined): ComplaintWeight {
  const t = (feedbackType ?? '').trim().toLowerCase();
  if (t === '') return { weight: 1, reason: 'complaint without a feedback type counts as abuse (1.0)' };
  if (t === 'not-spam') return { weight: NOT_SPAM_WEIGHT, reason: `not-spam report subtracts (${NOT_SPAM_WEIGHT})` };
  if (FULL.has(t)) return { weight: 1, reason: `feedback type ${t} counts in full (1.0)` };
  const partial = PARTIAL[t] ?? UNKNOWN_TYPE_WEIGHT;
  return { weight: partial, reason: `feedback type ${t} counts less (${partial})` };
}

/**
 * Repeats from the same reporter about the same subject count half as much each time
 * (1, ½, ¼, …): one angry recipient must not list an IP alone. Negative weights are not
 * diminished: a retraction always counts.
 */
export function repeatFactor(priorReportsFromReporter: number): number {
  return 0.5 ** Math.max(0, Math.floor(priorReportsFromReporter));
}

/** The weight actually added: base × repeat factor (positive weights only). */
export function effectiveWeight(base: number, priorReportsFromReporter: number): number {
  return base > 0 ? base * repeatFactor(priorReportsFromReporter) : base;
}
