/** SNDS's filter result: how our filter judges an IP's mail on a day. */
export type FilterColour = 'green' | 'yellow' | 'red';

/**
 * Green below `COMPLAINT_RATE_WATCH`, yellow from it up to `COMPLAINT_RATE_LIST`, red above it or
 * while the IP is listed. Without delivered volume there is no rate: green unless listed (a day
 * with complaints but no volume posted cannot be judged by rate; the listing rule still speaks).
 */
export function filterColour(rate: number | null, listed: boolean, t: { watch: number; list: number }): FilterColour {
  if (listed) return 'red';
  if (rate === null) return 'green';
  if (rate >= t.list) return 'red'; // the listing rule's own comparison (≥): a rate that lists is red
  if (rate >= t.watch) return 'yellow';
  return 'green';
}
