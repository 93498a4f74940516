/**
 * Exponential decay of a score: s(t) = s0 · 2^(−(t − t0) / halfLife). Stored as (score, updatedAt)
 * so nothing has to touch every row as time passes; every reader decays to its own `now`.
 */

export function decayedScore(score: number, updatedAt: number, now: number, halfLifeMs: number): number {
  const elapsed = Math.max(0, now - updatedAt);
  return score * 2 ** (-elapsed / halfLifeMs);
}

/** Decays to `now`, then adds `weight`; never below zero (retractions cannot bank credit). */
export function addToScore(score: number, updatedAt: number, now: number, halfLifeMs: number, weight: number): number {
  return Math.max(0, decayedScore(score, updatedAt, now, halfLifeMs) + weight);
}

/**
 * When a score falls below `threshold` if nothing new arrives: t0 + halfLife · log2(score / threshold).
 * Returns `updatedAt` when it is already below.
 */
export function timeBelow(score: number, updatedAt: number, threshold: number, halfLifeMs: number): number {
  if (score <= threshold) return updatedAt;
  return updatedAt + halfLifeMs * Math.log2(score / threshold);
}

/** How long a reporter counts as a distinct current reporter: 7 half-lives (< 1% of its weight left). */
export function reporterWindowMs(halfLifeMs: number): number {
  return 7 * halfLifeMs;
}
