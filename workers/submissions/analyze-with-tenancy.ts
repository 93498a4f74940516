import type { DataSource } from 'typeorm';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import { analyzeTrapHit } from '../../shared/analysis/trap-hit.ts';
import type { AnalyzeStepOptions } from './process-submission.ts';
import type { Analysis } from '../../shared/analysis/types.ts';
import { TenancyCache } from '../../shared/tenancy/tenancy-cache.ts';

/** The worker's analysis step: the pure core, with the tenancy read from the database through a cache. */
export function analyzeWithTenancy(ds: DataSource, refreshSeconds: number): (raw: Buffer, opts?: AnalyzeStepOptions) => Promise<Analysis> {
  const cache = new TenancyCache(ds, { refreshMs: refreshSeconds * 1000 });
  // A trap hit: the connecting client is the origin. Otherwise the submission's bound feedback loop
  // (never the wrapper From) decides whether an ARF Source-IP anchors the walk.
  return async (raw, opts) => opts?.trap
    ? analyzeTrapHit(raw, await cache.get(), opts.trap)
    : analyzeSubmission(raw, await cache.get(), { feedbackLoop: opts?.feedbackLoop ?? null });
}
