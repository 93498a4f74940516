import type { EntityManager } from 'typeorm';
import { dailyCounts, listingPeriods, type ListingPeriod } from '../../shared/sender-data/daily-query.ts';
import { dailyRows, dataWindow, type DailyRow } from '../../shared/sender-data/daily-rows.ts';
import type { ReputationSettings } from '../../shared/reputation/settings.ts';

/** The owner's 90 days: rows per IP per UTC day, and the listing periods in the window. */
export async function ownerData(em: EntityManager, ownerId: string, s: ReputationSettings, now = new Date()): Promise<{ rows: DailyRow[]; periods: ListingPeriod[]; from: Date }> {
  const { from, to } = dataWindow(now);
  const [counts, periods] = await Promise.all([dailyCounts(em, ownerId, from, to), listingPeriods(em, ownerId, from)]);
  return { rows: dailyRows(counts, periods, { watch: s.rateWatch, list: s.rateList, minTrust: s.minTrust }), periods, from };
}

/** The JSON form of the data URL (`?format=json`). */
export function dataJson(rows: DailyRow[], periods: ListingPeriod[], from: Date) {
  return {
    from: from.toISOString(),
    days: rows.map((r) => ({
      ip: r.ip, day: r.day, delivered: r.delivered, complaints: r.complaints, complaintRate: r.rate, filterResult: r.colour, listed: r.listed,
      complaintsByTrust: { anonymous: r.anonymous, verified: r.verified, platform: r.platform, feed: r.feed }, trapHits: r.trapHits,
      sampleHelo: r.helo, sampleMailFrom: r.mailFrom,
    })),
    listings: periods.map((p) => ({ ip: p.ip, from: p.from.toISOString(), to: p.to?.toISOString() ?? null })),
  };
}
