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
 * The exemplars of every campaign filed under one of `keys`, in one round trip: an index probe per
 * key (at most CAMPAIGNS_PER_KEY campaigns each), then those campaigns' exemplars. Never a scan of
 * the campaigns: the cost follows the number of keys, not the number of campaigns.
 */
export async function loadCandidates(em: EntityManager, keys: readonly string[]): Promise<Candidates> {
  if (keys.length === 0) return { exemplars: [], counts: new Map() };
  const rows: ExemplarRow[] = await em.query(
    `WITH cand AS (
       SELECT DISTINCT k.campaign_id
         FROM unnest($1::bigint[]) AS q(key)
         CROSS JOIN LATERAL (SELECT campaign_id FROM campaign_keys WHERE key = q.key ORDER BY campaign_id DESC LIMIT $2) k)
     SELECT e.campaign_id::text AS campaign_id, e.judge, e.signature, e.exact, e.url_domains, e.subject_stem
       FROM campaign_exemplars e JOIN cand ON cand.campaign_id = e.campaign_id`,
    [[...new Set(keys)], CAMPAIGNS_PER_KEY],
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
