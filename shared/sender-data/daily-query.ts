import type { EntityManager } from 'typeorm';

/** One IP's raw counts on one UTC day, as Postgres computed them. */
export interface DailyCounts {
  ip: string;
  /** `YYYY-MM-DD` of the UTC day (text from Postgres: a `date` would be read back at local midnight). */
  day: string;
  delivered: number | null;
  anonymous: number;
  verified: number;
  platform: number;
  feed: number;
  trapHits: number;
  helo: string | null;
  mailFrom: string | null;
}

/**
 * Per IP per UTC day in [from, to): delivered volume (`delivery_volume`, kind ip), complaints by
 * reporter trust and trap hits (`reports` by originating IP; a `not-spam` retraction is not a
 * complaint; `channel = 'trap'` rows are trap hits, counted apart), and the newest sample HELO
 * (the deciding hop's) and MAIL FROM (an ARF's Original-Mail-From, or a trap's envelope sender)
 * — for addresses inside the owner's verified ranges only.
 */
export async function dailyCounts(em: EntityManager, ownerId: string, from: Date, to: Date): Promise<DailyCounts[]> {
  const rows: {
    ip: string; day: string; delivered: string | null; anonymous: number | null; verified: number | null; platform: number | null; feed: number | null;
    trap_hits: number | null; helo: string | null; mail_from: string | null;
  }[] = await em.query(
    `WITH ranges AS (SELECT cidr FROM sender_ranges WHERE owner_id = $1 AND status = 'verified'),
     vol AS (
       SELECT host(v.key::inet) AS ip, to_char(v.hour AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(v.delivered)::text AS delivered
         FROM delivery_volume v
        WHERE v.kind = 'ip' AND v.hour >= $2 AND v.hour < $3 AND EXISTS (SELECT 1 FROM ranges g WHERE v.key::inet <<= g.cidr)
        GROUP BY 1, 2),
     rep AS (
       SELECT host(r.originating_ip) AS ip, to_char(r.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
              count(*) FILTER (WHERE r.channel <> 'trap' AND r.reporter_trust = 'anonymous')::int AS anonymous,
              count(*) FILTER (WHERE r.channel <> 'trap' AND r.reporter_trust = 'verified')::int AS verified,
              count(*) FILTER (WHERE r.channel <> 'trap' AND r.reporter_trust = 'platform')::int AS platform,
              count(*) FILTER (WHERE r.channel <> 'trap' AND r.reporter_trust = 'feed')::int AS feed,
              count(*) FILTER (WHERE r.channel = 'trap')::int AS trap_hits,
              (array_agg(r.hops -> r.deciding_hop::int ->> 'helo' ORDER BY r.received_at DESC)
                 FILTER (WHERE r.deciding_hop IS NOT NULL AND r.hops -> r.deciding_hop::int ->> 'helo' IS NOT NULL))[1] AS helo,
              (array_agg(coalesce(r.arf ->> 'originalMailFrom', CASE WHEN r.channel = 'trap' THEN s.envelope_from END) ORDER BY r.received_at DESC)
                 FILTER (WHERE coalesce(r.arf ->> 'originalMailFrom', CASE WHEN r.channel = 'trap' THEN s.envelope_from END) IS NOT NULL))[1] AS mail_from
         FROM reports r JOIN submissions s ON s.id = r.submission_id
        WHERE r.originating_ip IS NOT NULL AND r.received_at >= $2 AND r.received_at < $3
          AND lower(coalesce(r.feedback_type, '')) <> 'not-spam'
          AND EXISTS (SELECT 1 FROM ranges g WHERE r.originating_ip <<= g.cidr)
        GROUP BY 1, 2)
     SELECT coalesce(vol.ip, rep.ip) AS ip, coalesce(vol.day, rep.day) AS day, vol.delivered,
            rep.anonymous, rep.verified, rep.platform, rep.feed, rep.trap_hits, rep.helo, rep.mail_from
       FROM vol FULL JOIN rep ON rep.ip = vol.ip AND rep.day = vol.day
      ORDER BY 2 DESC, 1`,
    [ownerId, from, to],
  );
  return rows.map((r) => ({
    ip: r.ip, day: r.day, delivered: r.delivered === null ? null : Number(r.delivered),
    anonymous: r.anonymous ?? 0, verified: r.verified ?? 0, platform: r.platform ?? 0, feed: r.feed ?? 0, trapHits: r.trap_hits ?? 0,
    helo: r.helo, mailFrom: r.mail_from,
  }));
}

/** A listing period of one IP; `to` null while it lasts. */
export interface ListingPeriod {
  ip: string;
  from: Date;
  to: Date | null;
}

/**
 * Listing periods of the owner's addresses that overlap [from, now]: from `listing_history`
 * (`listed`/`manual` open one, `expired`/`delisted` close it) and the live `listings` row (a
 * listing whose opening predates the history still shows as open).
 */
export async function listingPeriods(em: EntityManager, ownerId: string, from: Date): Promise<ListingPeriod[]> {
  const ranges = `SELECT cidr FROM sender_ranges WHERE owner_id = $1 AND status = 'verified'`;
  const history: { ip: string; action: string; at: Date }[] = await em.query(
    `SELECT host(h.ip) AS ip, h.action, h.at FROM listing_history h
      WHERE EXISTS (SELECT 1 FROM (${ranges}) g WHERE h.ip <<= g.cidr) ORDER BY h.ip, h.at, h.id`,
    [ownerId],
  );
  const live: { ip: string; listed_at: Date }[] = await em.query(
    `SELECT host(l.ip) AS ip, l.listed_at FROM listings l WHERE EXISTS (SELECT 1 FROM (${ranges}) g WHERE l.ip <<= g.cidr)`,
    [ownerId],
  );
  return buildPeriods(history, live).filter((p) => p.to === null || p.to.getTime() >= from.getTime());
}

/** Pure: history rows (ordered by ip, time) and live listings → periods. */
export function buildPeriods(history: { ip: string; action: string; at: Date }[], live: { ip: string; listed_at: Date }[]): ListingPeriod[] {
  const liveByIp = new Map(live.map((l) => [l.ip, l.listed_at]));
  const out: ListingPeriod[] = [];
  const open = new Map<string, ListingPeriod>();
  for (const h of history) {
    const current = open.get(h.ip);
    if (h.action === 'listed' || h.action === 'manual') {
      if (!current) open.set(h.ip, { ip: h.ip, from: h.at, to: null });
    } else if (current) {
      current.to = h.at;
      out.push(current);
      open.delete(h.ip);
    }
  }
  for (const p of open.values()) out.push(p); // still open by history: listed now (or history cut short)
  for (const [ip, at] of liveByIp) if (!open.has(ip)) out.push({ ip, from: at, to: null });
  return out.sort((a, b) => b.from.getTime() - a.from.getTime() || a.ip.localeCompare(b.ip));
}
