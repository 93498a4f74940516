import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { html, type Html } from '../../web/html.ts';
import { boundedCount, type BoundedCount } from '../../lists/bounded-count.ts';
import { keysetPage, type KeysetQuery } from '../../lists/keyset.ts';
import { rangeFields as rangeSchema, resolveRange, type ResolvedRange } from '../../lists/time-range.ts';
import { ListUrl, pickQuery } from './list-url.ts';
import { pageRequest, pagingFields, type UiPageRequest } from './paging.ts';
import { pager } from './pager.ts';
import { rangeFields, rangePresets } from './range-filter.ts';

/**
 * The shape every analyst list shares: filters read from the URL (so a link, a bookmark and the
 * back button bring the same list back), a time range, a bounded total and keyset pages.
 */
export interface ListRequest<F> {
  filters: F;
  range: ResolvedRange;
  url: ListUrl;
  paging: UiPageRequest;
}

export type ListRead<F> = { ok: true; url: ListUrl; list: ListRequest<F> } | { ok: false; url: ListUrl; problems: { field: string; message: string }[] };

const RANGE_KEYS = ['range', 'since', 'until'] as const;

/**
 * Reads a list's URL: `filters` validates the list's own keys (a `limit` among them overrides
 * `limit`); the time range and paging are common to every list.
 */
export function readList<S extends z.ZodObject>(req: Request, path: string, filters: S, limit: number): ListRead<z.infer<S>> {
  const keys = [...Object.keys(filters.shape), ...RANGE_KEYS];
  const given = pickQuery(req.query as Record<string, unknown>, keys);
  const url = new ListUrl(path, given);
  const schema = filters.extend({ ...rangeSchema, ...pagingFields });
  const parsed = schema.safeParse({ ...given, ...pickQuery(req.query as Record<string, unknown>, ['cursor', 'before', 'page']) });
  if (!parsed.success) return { ok: false, url, problems: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) };
  const data = parsed.data as Record<string, unknown>;
  const range = resolveRange(data as Parameters<typeof resolveRange>[0]);
  const own = Object.fromEntries(Object.keys(filters.shape).map((k) => [k, data[k]])) as z.infer<S>;
  const size = typeof data.limit === 'number' ? data.limit : limit;
  return { ok: true, url, list: { filters: own, range, url, paging: pageRequest(data, size) } };
}

export interface LoadedList<R> {
  rows: R[];
  total: BoundedCount | null;
  pager: Html;
}

/** One page of `q` and its bounded total, read at once, with the pager under it. */
export async function loadList<R>(ds: DataSource, q: KeysetQuery, list: ListRequest<unknown>, noun: [string, string]): Promise<LoadedList<R>> {
  const [page, total] = await Promise.all([
    keysetPage<R>(ds, q, list.paging),
    boundedCount(ds, `${q.from} WHERE ${q.where}`, q.params),
  ]);
  return {
    rows: page.rows,
    total,
    pager: pager({ url: list.url, limit: list.paging.limit, number: list.paging.number, next: page.next, prev: page.prev, shown: page.rows.length, total, noun }),
  };
}

/** The `since` / `until` of a resolved range as SQL conditions on `column`, added to `where`. */
export function rangeWhere(column: string, r: ResolvedRange, where: string[], params: unknown[]): void {
  if (r.since) where.push(`${column} >= $${params.push(r.since)}::timestamptz`);
  if (r.until) where.push(`${column} < $${params.push(r.until)}::timestamptz`);
}

/** A list's filter form (GET, so the URL is the query): the list's own fields, the time range, Apply / Clear. */
export function filterForm(path: string, fields: Html | string, r: ResolvedRange, timeLabel: string): Html {
  return html`<form method="get" action="${path}" class="filters card" role="search">
${fields}${rangeFields(r, timeLabel)}
<div class="actions"><button type="submit">Apply</button> <a href="${path}">Clear</a></div>
</form>`;
}

/** The preset links above a list (range-filter.ts), for the pages that build on this module. */
export { rangePresets };

/** What a list shows for a URL whose filters do not validate (with a 400), each naming its parameter. */
export function problemsBlock(problems: { field: string; message: string }[]): Html {
  return html`<div class="errors" role="alert"><p>Some filters are not valid:</p><ul>${problems.map((p) => html`<li><code>${p.field}</code>: ${p.message}</li>`)}</ul></div>`;
}
