import type { EntityManager } from 'typeorm';
import { signatureFromBytes } from '../minhash.ts';
import type { Exemplar } from '../match.ts';

/** Campaigns read per bucket key (the newest): a key shared by many campaigns (a link shortener) stays cheap. */
export const CAMPAIGNS_PER_KEY = 16;

export interface Candidates {
  exemplars: Exemplar[];
  /** Exemplars per candidate campaign. */
  counts: Map<string, number>;
}

interface ExemplarRow {
  campaign_id: string;
  judge: 'text' | 'short';
  signature: Buffer | null;
  exact: string | null;
  url_domains: string[];
  subject_stem: string;
}

/**
 * The exemplars of every campaign filed under one of `keys`, in one round trip (the SQL function
 * `campaign_candidates`, migration 1764420000002): an index probe per key, at most CAMPAIGNS_PER_KEY
 * campaigns each, then their exemplars. Never a scan: the cost follows the keys, not the campaigns.
 * `lock` first takes the create lock, so the answer includes campaigns created by whoever held it.
 */
export async function loadCandidates(em: EntityManager, keys: readonly string[], lock: boolean): Promise<Candidates> {
  if (keys.length === 0 && !lock) return { exemplars: [], counts: new Map() };
  const rows: ExemplarRow[] = await em.query(
    `SELECT campaign_id::text AS campaign_id, judge, signature, exact, url_domains, subject_stem FROM campaign_candidates($1::bigint[], $2, $3)`,
    [[...new Set(keys)], CAMPAIGNS_PER_KEY, lock],
  );
  const counts = new Map<string, number>();
  const exemplars = rows.map((r): Exemplar => {
    counts.set(r.campaign_id, (counts.get(r.campaign_id) ?? 0) + 1);
    return {
      campaignId: r.campaign_id,
      judge: r.judge,
      signature: r.signature ? signatureFromBytes(r.signature) : null,
      exact: r.exact,
      urlDomains: r.url_domains,
      subjectStem: r.subject_stem,
    };
  });
  return { exemplars, counts };
}
