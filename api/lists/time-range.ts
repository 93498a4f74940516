import { z } from 'zod';
import { isoTimestamp } from '../edge/params.ts';

/**
 * Time-range presets for the analyst's lists. A preset is relative (`24h` = the 24 hours before
 * the page was opened), so a shared link "last 7 days" means the last 7 days for whoever opens it;
 * `custom` takes `since` / `until` as given. What lands in SQL is always a resolved since/until.
 */
export const RANGE_PRESETS = { '24h': 24 * 3600_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const RANGES = ['24h', '7d', '30d', 'custom', 'all'] as const;
export type Range = (typeof RANGES)[number];

/** What a datetime-local input sends (no zone): the UI shows UTC everywhere, so it is read as UTC. */
const LOCAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?$/;

/** An ISO 8601 instant with an offset, or a zone-less `YYYY-MM-DDTHH:MM[:SS]` read as UTC. */
export const instant = z
  .string()
  .max(40)
  .transform((s) => (LOCAL.test(s) ? `${s.length === 16 ? `${s}:00` : s}Z` : s))
  .pipe(isoTimestamp);

export const rangeFields = {
  range: z.enum(RANGES).optional().describe('24h, 7d, 30d (before now), custom (since/until) or all'),
  since: instant.optional(),
  until: instant.optional(),
};

export interface ResolvedRange {
  range: Range;
  since?: string;
  until?: string;
}

/**
 * A preset wins over since/until (the form sends both when the analyst switches back to a preset);
 * without a range, given since/until mean custom, and nothing means all.
 */
export function resolveRange(input: { range?: Range | undefined; since?: string | undefined; until?: string | undefined }, now = new Date()): ResolvedRange {
  const range = input.range ?? (input.since || input.until ? 'custom' : 'all');
  if (range === 'all') return { range };
  if (range === 'custom') return { range, ...(input.since ? { since: input.since } : {}), ...(input.until ? { until: input.until } : {}) };
  return { range, since: new Date(now.getTime() - RANGE_PRESETS[range]).toISOString() };
}

/** An instant as a datetime-local input value (UTC, minutes). */
export function localInputValue(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16);
}
