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

interface Locked {
  manual: boolean;
  expires_at: Date | null;
  score: number | null;
  updated_at: Date | null;
  /** Decayed weight of the feeds' retractions since the listing began (they never end a listing). */
  retracted: number;
}

/**
 * The scheduled `expire-listings` job. A listing the system made expires when its decayed score
 * falls below DELIST_THRESHOLD (and a known complaint rate does not still say "list"); feeds'
 * retractions made while it is listed lower the score but are added back for this decision, so a
 * retraction never ends a listing. A manual listing expires only at its `expiresAt`, if it has one.
 * Each IP is decided in its own short transaction under a row lock, so a report arriving at the
 * same moment is either seen or waits.
 */
export async function expireListings(ds: DataSource, s: ReputationSettings, cache: IpCache | null, now: Date = new Date()): Promise<ExpireResult> {
  const listed: { ip: string }[] = await ds.query(`SELECT host(ip) AS ip FROM listings ORDER BY ip`);
  const expired: string[] = [];
  for (const { ip } of listed) {
    const gone = await ds.transaction(async (em) => {
      const [row]: Locked[] = await em.query(
        `SELECT l.manual, l.expires_at, s.score, s.updated_at,
                (SELECT coalesce(sum(-e.weight * power(2::float8, -greatest(0, extract(epoch FROM $2::timestamptz - e.at)::float8 * 1000) / $3::float8)), 0)
                   FROM reputation_events e WHERE e.kind = 'ip' AND e.key = host(l.ip) AND e.weight < 0
                    AND e.withdrawn_at IS NULL AND e.at >= l.listed_at) AS retracted
           FROM listings l
           LEFT JOIN reputation_subjects s ON s.kind = 'ip' AND s.key = host(l.ip)
          WHERE l.ip = $1::inet FOR UPDATE OF l`,
        [ip, now, s.halfLifeMs],
      );
      if (!row) return false;
      if (row.manual) {
        if (!row.expires_at || row.expires_at.getTime() > now.getTime()) return false;
        return removeListing(em, ip, 'expired', `manual listing reached its expiresAt ${row.expires_at.toISOString()}`, 'system', now);
      }
      const st = await subjectState(em, { kind: 'ip', key: ip, score: row.score ?? 0, updated_at: row.updated_at ?? now }, s, now);
      const d = decideExpiry({ ...st, score: st.score + Number(row.retracted) }, s);
      if (d.action !== 'expire') return false;
      return removeListing(em, ip, 'expired', d.reasons.join('; '), 'system', now);
    });
    if (gone) expired.push(ip);
  }
  // Reconcile the whole Redis copy too: it heals a missed post-commit write (Redis was down).
  if (cache) await cache.rebuild(ds);
  return { checked: listed.length, expired };
}
