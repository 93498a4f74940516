/**
 * The start of a long text for a list cell: whitespace runs folded to one space, at most `max`
 * characters (whole code points, never half a surrogate pair), "…" when cut. The full text is on
 * the item's own page.
 */
export function excerpt(text: string | null | undefined, max = 120): { text: string; cut: boolean } {
  if (!text) return { text: '', cut: false };
  const folded = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(folded);
  return chars.length <= max ? { text: folded, cut: false } : { text: `${chars.slice(0, max).join('').trimEnd()}…`, cut: true };
}
