/** An instant for people: `2026-11-27 14:03 UTC` (the page has no script to localise it). */
export function fmtInstant(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
