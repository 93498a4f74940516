import type { DataSource } from 'typeorm';
import { AppError } from '../../shared/errors/app-error.ts';

/**
 * Keyset paging over (time, id), newest first, in both directions: `after` a row gives the next
 * (older) page, `before` a row the previous (newer) one, each O(limit) through the list's index and
 * stable while new rows arrive. `offset` serves the UI's page numbers, which only go as far as the
 * bounded count (api/lists/bounded-count.ts), so an offset never walks more than that many rows.
 */

/** How the id of a row is compared: its SQL type and what a valid text form looks like. */
export const ID_TYPES = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  bigint: /^\d{1,18}$/,
  inet: /^[0-9a-f.:/]{2,43}$/i, // inet::text keeps the prefix length (203.0.113.7/32)
  text: /^[^\x00-\x1f\x7f]{1,100}$/u,
} as const;
export type IdType = keyof typeof ID_TYPES;

const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** The `_ts` column every keyset query selects: Postgres' microseconds, which a JS Date would lose. */
export const tsText = (expr: string) => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeKey(ts: string, id: string): string {
  return Buffer.from(`${ts}|${id}`).toString('base64url');
}

/** The (time, id) inside a cursor, or null when it is not one this service handed out. */
export function decodeKey(cursor: string, idType: IdType): [string, string] | null {
  if (!/^[A-Za-z0-9_-]{1,300}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const ts = text.slice(0, bar);
  const id = text.slice(bar + 1);
  if (bar <= 0 || !TS.test(ts) || !ID_TYPES[idType].test(id)) return null;
  // The calendar check: Date normalises 2026-02-31 to March, so compare the round trip.
  const ms = Date.parse(ts);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 19) !== ts.slice(0, 19) || ts.startsWith('0000')) return null;
  return [ts, id];
}

export interface KeysetQuery {
  /** Columns to select (trusted SQL). */
  select: string;
  /** Table expression (trusted SQL), e.g. `reports` or `notifications n`. */
  from: string;
  /** Filter (trusted SQL over bind parameters `params`). */
  where: string;
  params: unknown[];
  /** The time column and the id column the order is on (trusted SQL). */
  ts: string;
  id: string;
  idType: IdType;
}

export interface PageRequest {
  limit: number;
  after?: string | undefined;
  before?: string | undefined;
  offset?: number | undefined;
  /** Which parameter a bad cursor is reported against. @defaultValue 'cursor' */
  field?: string;
}

export interface KeysetPage<R> {
  rows: R[];
  /** Cursor of the next (older) page; null on the last page. */
  next: string | null;
  /** Cursor of the previous (newer) page; null on the first page. */
  prev: string | null;
}

type Keyed = { _ts: string; _id: string };

export async function keysetPage<R>(ds: DataSource, q: KeysetQuery, p: PageRequest): Promise<KeysetPage<R & Keyed>> {
  const params = [...q.params];
  const bind = (v: unknown) => `$${params.push(v)}`;
  const cursor = p.after ?? p.before;
  let where = q.where;
  if (cursor) {
    const key = decodeKey(cursor, q.idType);
    if (!key) {
      const field = p.field ?? (p.after ? 'cursor' : 'before');
      throw new AppError('validation_failed', `${field} is not a cursor this service handed out`, { problems: [{ field, message: 'unknown cursor' }] });
    }
    const cmp = p.after ? '<' : '>';
    where = `(${where}) AND (${q.ts}, ${q.id}) ${cmp} (${bind(key[0])}::timestamptz, ${bind(key[1])}::${q.idType})`;
  }
  const backwards = !p.after && !!p.before;
  const dir = backwards ? 'ASC' : 'DESC';
  const offset = !cursor && p.offset ? ` OFFSET ${bind(p.offset)}` : '';
  const rows: (R & Keyed)[] = await ds.query(
    `SELECT ${q.select}, ${tsText(q.ts)} AS _ts, (${q.id})::text AS _id FROM ${q.from} WHERE ${where}
      ORDER BY ${q.ts} ${dir}, ${q.id} ${dir}${offset} LIMIT ${bind(p.limit + 1)}`,
    params,
  );
  const more = rows.length > p.limit;
  const page = more ? rows.slice(0, p.limit) : rows;
  if (backwards) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const hasNext = backwards ? true : more;
  const hasPrev = backwards ? more : !!p.after || !!p.offset;
  return {
    rows: page,
    next: hasNext && last ? encodeKey(last._ts, last._id) : null,
    prev: hasPrev && first ? encodeKey(first._ts, first._id) : null,
  };
}
