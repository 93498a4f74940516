/**
 * URLs of a list page: its path and every filter the page was opened with (so a link, a bookmark
 * or the back button brings the same list back), with some parameters replaced.
 */
export class ListUrl {
  constructor(
    readonly path: string,
    /** The filters only (no paging), as given in the URL. */
    readonly filters: Record<string, string>,
  ) {}

  /** The path with the filters and `extra` (undefined drops a key). */
  with(extra: Record<string, string | number | undefined> = {}): string {
    const qs = new URLSearchParams();
    const all: Record<string, string | number | undefined> = { ...this.filters, ...extra };
    for (const [k, v] of Object.entries(all)) if (v !== undefined && v !== '') qs.set(k, String(v));
    const s = qs.toString();
    return s ? `${this.path}?${s}` : this.path;
  }

  /** The filters as a query string (for an export link or an API call). */
  query(): string {
    return new URLSearchParams(Object.entries(this.filters).filter(([, v]) => v !== '')).toString();
  }
}

/**
 * The non-empty string parameters of a request among `keys` (a form sends empty fields as "";
 * they mean "no filter"). Repeated keys keep their first value.
 */
export function pickQuery(query: Record<string, unknown>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = query[k];
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string' && s.trim() !== '') out[k] = s.trim();
  }
  return out;
}
