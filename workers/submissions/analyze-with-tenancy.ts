import type { DataSource } from 'typeorm';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import type { Analysis } from '../../shared/analysis/types.ts';
import { TenancyCache } from '../../shared/tenancy/tenancy-cache.ts';

/** The worker's analysis step: the pure core, with the tenancy read from the database through a cache. */
export function analyzeWithTenancy(ds: DataSource, refreshSeconds: number): (raw: Buffer, opts?: { feedbackLoop: string | null }) => Promise<Analysis> {
  const cache = new TenancyCache(ds, { refreshMs: refreshSeconds * 1000 });
  // The submission's bound feedback loop (never the wrapper From) decides whether an ARF Source-IP anchors the walk.
  return async (raw, opts) => analyzeSubmission(raw, await cache.get(), { feedbackLoop: opts?.feedbackLoop ?? null });
}
