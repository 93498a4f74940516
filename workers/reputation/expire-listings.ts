import type { DataSource } from 'typeorm';
import { decideExpiry } from '../../shared/reputation/decisions.ts';
import type { ReputationSettings } from '../../shared/reputation/settings.ts';
import type { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { removeListing } from '../../shared/reputation/store/listings-repo.ts';
import { subjectState } from '../../shared/reputation/store/subject-state.ts';

export interface ExpireResult {
  checked: number;
  expired: string[];
}

/**
 * The scheduled `expire-listings` job: every listing whose decayed score fell below
 * DELIST_THRESHOLD (and whose known complaint rate does not still say "list") is removed, with
 * its reason in the history. Each IP is decided in its own short transaction under a row lock,
 * so a report arriving at the same moment is either seen or waits.
 */
export async function expireListings(ds: DataSource, s: ReputationSettings, cache: IpCache | null, now: Date = new Date()): Promise<ExpireResult> {
  const listed: { ip: string }[] = await ds.query(`SELECT host(ip) AS ip FROM listings ORDER BY ip`);
  const expired: string[] = [];
  for (const { ip } of listed) {
    const gone = await ds.transaction(async (em) => {
      const [row]: { listed: boolean; score: number | null; updated_at: Date | null }[] = await em.query(
        `SELECT true AS listed, s.score, s.updated_at FROM listings l
           LEFT JOIN reputation_subjects s ON s.kind = 'ip' AND s.key = host(l.ip)
          WHERE l.ip = $1::inet FOR UPDATE OF l`,
        [ip],
      );
      if (!row) return false;
      const st = await subjectState(em, { kind: 'ip', key: ip, score: row.score ?? 0, updated_at: row.updated_at ?? now }, s, now);
      const d = decideExpiry(st, s);
      if (d.action !== 'expire') return false;
      return removeListing(em, ip, 'expired', d.reasons.join('; '), 'system', now);
    });
    if (gone) expired.push(ip);
  }
  // Reconcile the whole Redis copy too: it heals a missed post-commit write (Redis was down).
  if (cache) await cache.rebuild(ds);
  return { checked: listed.length, expired };
}
