import type { DataSource } from 'typeorm';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import type { Analysis } from '../../shared/analysis/types.ts';
import { TenancyCache } from '../../shared/tenancy/tenancy-cache.ts';

/** The worker's analysis step: the pure core, with the tenancy read from the database through a cache. */
export function analyzeWithTenancy(ds: DataSource, refreshSeconds: number): (raw: Buffer) => Promise<Analysis> {
  const cache = new TenancyCache(ds, { refreshMs: refreshSeconds * 1000 });
  return async (raw) => analyzeSubmission(raw, await cache.get());
}
