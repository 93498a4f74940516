import { html, type Html } from '../../web/html.ts';
import { countText, type BoundedCount } from '../../lists/bounded-count.ts';
import { lastJumpPage } from './paging.ts';
import type { ListUrl } from './list-url.ts';

export interface PagerInput {
  url: ListUrl;
  limit: number;
  /** The page's number when known. */
  number: number | null;
  /** Cursors of the neighbouring pages (null: none). */
  next: string | null;
  prev: string | null;
  /** Rows on this page. */
  shown: number;
  total: BoundedCount | null;
  noun: [one: string, many: string];
}

/** The page numbers to offer: the first, the last when known, and two either side of the current one. */
export function pageNumbers(current: number | null, last: number, lastKnown: boolean): (number | null)[] {
  const cur = current ?? 1;
  const want = new Set<number>([1, cur - 2, cur - 1, cur, cur + 1, cur + 2]);
  if (lastKnown) want.add(last);
  const pages = [...want].filter((n) => n >= 1 && n <= last).sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const n of pages) {
    if (out.length && n - (out[out.length - 1] as number) > 1) out.push(null); // a gap: "…"
    out.push(n);
  }
  if (!lastKnown && pages[pages.length - 1]! < last) out.push(null);
  return out;
}

/**
 * The count line and the pager of a list: "51–100 of 1,234 reports", First · Previous · page
 * numbers · Next. Previous / Next are keyset links (stable while rows arrive); page numbers jump by
 * offset and stop where the bounded count stops. Every link keeps the list's filters.
 */
export function pager(p: PagerInput): Html {
  const from = p.number !== null ? (p.number - 1) * p.limit + 1 : null;
  // "51–100 of 1,234 reports"; a list that fits on one page just says how many.
  const whole = from === 1 && p.total !== null && !p.total.more && p.total.count === p.shown;
  const range = p.shown === 0 || whole ? '' : from !== null ? `${from.toLocaleString('en-US')}–${(from + p.shown - 1).toLocaleString('en-US')} of ` : '';
  const summary = html`<p class="list-count" role="status">${p.shown === 0 && p.total?.count === 0 ? `no ${p.noun[1]}` : `${range}${countText(p.total, p.noun[0], p.noun[1])}`}</p>`;
  const known = p.total !== null && !p.total.more;
  const last = known ? Math.max(1, Math.ceil(p.total!.count / p.limit)) : lastJumpPage(p.limit);
  const numbers = p.total === null || (known && last <= 1) ? [] : pageNumbers(p.number, Math.min(last, lastJumpPage(p.limit)), known);
  const label = (n: number | null) => (n === null || n < 1 ? undefined : n);
  if (!p.prev && !p.next && numbers.length === 0) return summary;
  return html`${summary}<nav class="pager" aria-label="pages">
${p.prev ? html`<a href="${p.url.with()}">« First</a><a rel="prev" href="${p.url.with({ before: p.prev, page: label(p.number === null ? null : p.number - 1) })}">‹ Previous</a>` : html`<span class="muted">« First</span><span class="muted">‹ Previous</span>`}
${numbers.length ? html`<span class="pages">${numbers.map((n) => n === null
    ? html`<span class="gap">…</span>`
    : n === p.number ? html`<span class="current" aria-current="page">${n}</span>` : html`<a href="${p.url.with({ page: n === 1 ? undefined : n })}">${n}</a>`)}</span>` : ''}
${p.next ? html`<a rel="next" href="${p.url.with({ cursor: p.next, page: label(p.number === null ? null : p.number + 1) })}">Next ›</a>` : html`<span class="muted">Next ›</span>`}
</nav>`;
}
