/**
 * True when `host` is one of `suffixes` or a sub-domain of one: case-insensitive, on a dot boundary
 * (`mail.outlook.com` matches `outlook.com`, `evil-outlook.com` does not), trailing dots ignored.
 * Empty suffixes are ignored rather than matching every host.
 */
export function hostMatchesSuffix(host: string | null, suffixes: readonly string[]): boolean {
  if (typeof host !== 'string') return false;
  const h = trimDots(host.trim().toLowerCase());
  if (h.length === 0) return false;
  for (const raw of suffixes) {
    if (typeof raw !== 'string') continue;
    const s = trimDots(raw.trim().toLowerCase());
    if (s.length === 0) continue;
    if (h === s) return true;
    if (h.length > s.length && h.endsWith(s) && h.charCodeAt(h.length - s.length - 1) === 46 /* . */) return true;
  }
  return false;
}

/** Leading and trailing dots off (`.outlook.com.` → `outlook.com`); a loop, not a regex, to stay linear. */
function trimDots(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 46) a++;
  while (b > a && s.charCodeAt(b - 1) === 46) b--;
  return s.slice(a, b);
}
