/**
 * Parse the date part of a Received header (after the last `;`) into an ISO string, or null.
 *
 * Hand-written instead of `Date.parse`: V8's lenient parser reads trailing junk into the date
 * (`… -0700 (PDT) junk` came out two months early) and reads a date without a zone in the process's local
 * time, which would make the pure core depend on the machine's TZ. Accepts RFC 5322 dates (with or without
 * the weekday, 2- or 4-digit years, numeric or named zones), asctime (`Sun Nov 13 14:50:12 2005`, read as UTC)
 * and a 12-hour time with AM/PM (`18 Feb 01 12:29:13 AM`, seen in spam's Date headers).
 */
const MONTHS: Readonly<Record<string, number>> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };
const ZONES: Readonly<Record<string, number>> = {
  ut: 0, utc: 0, gmt: 0, z: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
};
const MAX_DATE_WORDS = 12;
const WEEKDAYS: ReadonlySet<string> = new Set(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export function parseReceivedDate(words: string[]): string | null {
  let day: number | null = null;
  let month: number | null = null;
  let year: number | null = null;
  let time: [number, number, number] | null = null;
  let zone: number | null = null;
  let meridiem = false;
  // Every word up to the zone must be a date part: `21: 10:16` is a broken date, not 10:16.
  outer: for (const raw of words.slice(0, MAX_DATE_WORDS)) {
    for (const w of splitGluedZone(raw.includes(',') ? raw.replace(/,/g, '') : raw)) {
      if (w.length === 0) continue;
      if (zone !== null) break outer; // complete: the rest is a comment or Courier's `id …`
      const lower = w.toLowerCase();
      if (lower === 'id') break outer;
      if (WEEKDAYS.has(lower.slice(0, 3)) && /^[a-z]+$/.test(lower) && month === null) continue;
      if (month === null && lower.length >= 3 && MONTHS[lower.slice(0, 3)] !== undefined && /^[a-z]+$/.test(lower)) {
        month = MONTHS[lower.slice(0, 3)]!;
      } else if (/^\d{1,2}:\d{2}(:\d{2})?$/.test(w) && time === null) {
        const [h, m, s] = w.split(':').map(Number);
        time = [h!, m!, s ?? 0];
      } else if ((lower === 'am' || lower === 'pm') && time !== null && !meridiem && time[0] >= 1 && time[0] <= 12) {
        meridiem = true;
        time = [(time[0] % 12) + (lower === 'pm' ? 12 : 0), time[1], time[2]];
      } else if (/^[+-]\d{4}$/.test(w) && time !== null) {
        const sign = w[0] === '-' ? -1 : 1;
        zone = sign * (Number(w.slice(1, 3)) * 60 + Number(w.slice(3, 5)));
      } else if (ZONES[lower] !== undefined && time !== null) {
        zone = ZONES[lower]!;
      } else if (/^\d{1,4}$/.test(w)) {
        const n = Number(w);
        if (day === null && w.length <= 2 && (month === null || time === null) && year === null) day = n;
        else if (year === null && (w.length === 4 || w.length === 2)) year = w.length === 2 ? (n < 50 ? 2000 + n : 1900 + n) : n;
        else return null;
      } else return null;
    }
  }
  if (day === null || month === null || year === null || time === null) return null;
  const [h, m, s] = time;
  if (day < 1 || day > 31 || h > 23 || m > 59 || s > 60 || year < 1970 || year > 9999) return null;
  const ms = Date.UTC(year, month, day, h, m, Math.min(s, 59)) - (zone ?? 0) * 60_000;
  // Reject days past the month's end (31 Feb) instead of letting Date roll them into the next month.
  if (Number.isNaN(ms) || day > daysInMonth(year, month)) return null;
  return new Date(ms).toISOString();
}

/** `17:40:44-0500` → [`17:40:44`, `-0500`] (a missing space seen in SpamAssassin's vectors). */
function splitGluedZone(w: string): string[] {
  const k = Math.max(w.lastIndexOf('+'), w.lastIndexOf('-'));
  if (k > 0 && w.length - k === 5 && w.includes(':')) return [w.slice(0, k), w.slice(k)];
  return [w];
}

function daysInMonth(year: number, month: number): number {
  if (month === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
}
