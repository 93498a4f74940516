import { signatureFromBytes, similarity } from './minhash.ts';
import type { ContentFeatures } from './content-features.ts';

/**
 * The matching decision: does a report belong to a campaign, given the campaign's exemplars (the
 * features of a few of its reports)? Two different campaigns made one is worse than one campaign
 * split in two (an analyst can merge; a wrong merge hides a case), so every rule errs on "no".
 * Thresholds tuned on the labelled set in test/campaigns/ (docs/campaigns.md, "Thresholds").
 */

/** Estimated Jaccard similarity at or above which the text alone decides. */
export const STRONG_SIMILARITY = 0.7;
/** Between this and STRONG, the text must be backed by the same subject stem or a shared link domain. */
export const WEAK_SIMILARITY = 0.4;
/** A report whose best similarity to an exemplar is below this adds itself as a new exemplar. */
export const EXEMPLAR_BELOW = 0.85;
/** Exemplars kept per campaign: enough to follow a drifting campaign, few enough to score fast. */
export const MAX_EXEMPLARS = 8;

/** A campaign's exemplar as the matcher sees it (parsed once per candidate). */
export interface Exemplar {
  campaignId: string;
  judge: 'text' | 'short';
  signature: Uint32Array | null;
  exact: string | null;
  urlDomains: readonly string[];
  subjectStem: string;
}

/** A report's features, parsed for scoring. */
export interface Probe {
  features: ContentFeatures;
  signature: Uint32Array | null;
}

export function probeOf(features: ContentFeatures): Probe {
  return { features, signature: features.signature ? signatureFromBytes(Buffer.from(features.signature, 'hex')) : null };
}

export function exemplarOf(campaignId: string, f: ContentFeatures): Exemplar {
  const p = probeOf(f);
  return { campaignId, judge: f.judge === 'text' ? 'text' : 'short', signature: p.signature, exact: f.exact, urlDomains: f.urlDomains, subjectStem: f.subjectStem };
}

/** The match score of a probe against one exemplar: 0 when it does not match, else its similarity. */
export function matchScore(p: Probe, e: Exemplar): number {
  const f = p.features;
  if (f.judge === 'none') return 0;
  if (f.judge === 'short' || e.judge === 'short') {
    // Too little text to compare fuzzily: only the same normalised text and subject stem count.
    return f.judge === e.judge && f.exact !== null && f.exact === e.exact ? 1 : 0;
  }
  if (!p.signature || !e.signature) return 0;
  const j = similarity(p.signature, e.signature);
  if (j >= STRONG_SIMILARITY) return j;
  if (j < WEAK_SIMILARITY) return 0;
  const sameStem = f.subjectStem !== '' && f.subjectStem === e.subjectStem;
  const sharedDomain = f.urlDomains.some((d) => e.urlDomains.includes(d));
  return sameStem || sharedDomain ? j : 0;
}

export interface Decision {
  campaignId: string;
  score: number;
}

/** Campaign ids are bigint strings; `new:k` names a campaign this batch is creating (newest of all). */
export const NEW_PREFIX = 'new:';

function olderThan(a: string, b: string): boolean {
  const an = a.startsWith(NEW_PREFIX);
  const bn = b.startsWith(NEW_PREFIX);
  if (an || bn) return !an && bn ? true : an && bn ? Number(a.slice(NEW_PREFIX.length)) < Number(b.slice(NEW_PREFIX.length)) : false;
  return BigInt(a) < BigInt(b);
}

/**
 * The best matching campaign among the exemplars, or null. Ties go to the older campaign (the
 * smaller id), so the answer does not depend on the order candidates came back in.
 */
export function bestMatch(p: Probe, exemplars: readonly Exemplar[]): Decision | null {
  let best: Decision | null = null;
  for (const e of exemplars) {
    const s = matchScore(p, e);
    if (s <= 0) continue;
    if (!best || s > best.score || (s === best.score && olderThan(e.campaignId, best.campaignId))) {
      best = { campaignId: e.campaignId, score: s };
    }
  }
  return best;
}
