import type { EntityManager } from 'typeorm';
import { analyzeSubmission } from '../../analysis/analyze.ts';
import { EMPTY_COMPILED_TENANCY } from '../../tenancy/compile-tenancy.ts';
import type { ContentFeatures } from '../content-features.ts';

/**
 * Content features of stored reports, recomputed from their raw messages through the analysis core
 * (reports keep no features of their own: the worker computes them once, on the hot path, and only
 * campaign exemplars store them). Attribution is not needed here, so no tenancy and no signature
 * checks. A report whose raw message retention removed gets null.
 */
export async function featuresOfSubmissions(em: EntityManager, submissionIds: readonly string[]): Promise<Map<string, (ContentFeatures | null)[]>> {
  const out = new Map<string, (ContentFeatures | null)[]>();
  if (submissionIds.length === 0) return out;
  const rows: { id: string; content: Buffer | null }[] = await em.query(
    `SELECT s.id::text AS id, m.content FROM submissions s LEFT JOIN raw_messages m ON m.sha256 = s.raw_sha256 WHERE s.id = ANY($1::uuid[])`,
    [submissionIds],
  );
  for (const r of rows) {
    if (!r.content) continue;
    const analysis = await analyzeSubmission(r.content, EMPTY_COMPILED_TENANCY, { verifySignatures: false });
    out.set(r.id, analysis.reports.map((rep) => rep.content ?? null));
  }
  return out;
}
