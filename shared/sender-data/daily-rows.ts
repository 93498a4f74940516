import { trustAtLeast, TRUST_LEVELS, type ReporterTrust } from '../trust/reporter-trust.ts';
import type { DailyCounts, ListingPeriod } from './daily-query.ts';
import { filterColour, type FilterColour } from './filter-colour.ts';

/** What an owner sees for one IP on one UTC day (page, CSV, data URL). */
export interface DailyRow extends DailyCounts {
  /** Complaints that move reputation (trust ≥ REPUTATION_MIN_TRUST) plus trap hits (feed-level). */
  complaints: number;
  /** complaints / delivered, or null without volume. */
  rate: number | null;
  listed: boolean;
  colour: FilterColour;
}

export const DATA_DAYS = 90;
const DAY = 86_400_000;

/** The window: from 00:00 UTC 89 days before `now`'s UTC day, to `now`. */
export function dataWindow(now: Date): { from: Date; to: Date } {
  const today = Math.floor(now.getTime() / DAY) * DAY;
  return { from: new Date(today - (DATA_DAYS - 1) * DAY), to: now };
}

/** Whether a listing period overlaps the UTC day `YYYY-MM-DD`. */
export function listedOn(periods: ListingPeriod[], ip: string, day: string): boolean {
  const start = Date.parse(`${day}T00:00:00Z`);
  const end = start + DAY;
  return periods.some((p) => p.ip === ip && p.from.getTime() < end && (p.to === null || p.to.getTime() > start));
}

export function dailyRows(counts: DailyCounts[], periods: ListingPeriod[], t: { watch: number; list: number; minTrust: ReporterTrust }): DailyRow[] {
  const counted = TRUST_LEVELS.filter((l) => trustAtLeast(l, t.minTrust));
  return counts.map((c) => {
    const complaints = counted.reduce((n, l) => n + c[l], 0) + c.trapHits;
    const rate = c.delivered && c.delivered > 0 ? complaints / c.delivered : null;
    const listed = listedOn(periods, c.ip, c.day);
    return { ...c, complaints, rate, listed, colour: filterColour(rate, listed, t) };
  });
}
