import type { DataSource } from 'typeorm';
import type { STAT_DIMENSIONS, TOP_DIMENSIONS, WINDOWS } from './schemas.ts';
import { topUrlDomains } from '../campaigns/url-domain-stats.ts';

type Dimension = (typeof STAT_DIMENSIONS)[number];
type Window = (typeof WINDOWS)[number];

/** Column per dimension: a fixed map, never a request value, goes into the SQL. */
const COLUMN: Record<Dimension, string> = {
  relayIp: 'relay_ip',
  originatingIp: 'originating_ip',
  tenant: 'tenant_id',
  domain: 'from_domain',
};
const KEY_EXPR: Record<Dimension, string> = {
  relayIp: 'host(relay_ip)',
  originatingIp: 'host(originating_ip)',
  tenant: 'tenant_id',
  domain: 'from_domain',
};
const CAST: Record<Dimension, string> = { relayIp: '::inet', originatingIp: '::inet', tenant: '', domain: '' };
const INTERVAL: Record<Window, string> = { '1h': '1 hour', '24h': '24 hours', '7d': '7 days', '30d': '30 days' };

/**
 * Top keys by report count in a trailing window. Reads only the covering index
 * reports_stats_cover (received_at INCLUDE the four dimensions).
 */
export async function topN(ds: DataSource, by: (typeof TOP_DIMENSIONS)[number], window: Window, limit: number) {
  if (by === 'urlDomain') return { by, window, items: await topUrlDomains(ds, INTERVAL[window], limit) };
  const rows: { key: string; count: number }[] = await ds.query(
    `SELECT ${KEY_EXPR[by]} AS key, count(*)::int AS count FROM reports
      WHERE received_at >= now() - interval '${INTERVAL[window]}' AND ${COLUMN[by]} IS NOT NULL
      GROUP BY ${COLUMN[by]} ORDER BY count DESC, ${COLUMN[by]} LIMIT $1`,
    [limit],
  );
  return { by, window, items: rows };
}

export interface TimeseriesOptions {
  by?: Dimension;
  /** Relay or originating IP (what an IP page shows); excludes `by`. */
  ip?: string;
  key?: string;
  bucket: 'hour' | 'day';
  window: Window;
}

/**
 * Report counts per UTC hour or day over a trailing window, zero-filled. With `by` and no `key`,
 * one series for each of the top 5 keys; with `key`, one series for it; else the total.
 */
export async function timeseries(ds: DataSource, o: TimeseriesOptions) {
  const to = await ds.query(`SELECT date_trunc($1, now(), 'UTC') AS t`, [o.bucket]);
  const end: Date = to[0].t;
  const bucketMs = o.bucket === 'hour' ? 3_600_000 : 86_400_000;
  const start = new Date(end.getTime() - Math.max(0, parseWindowMs(o.window) - bucketMs));
  let keys: (string | null)[] = [null];
  if (o.ip) keys = [o.ip];
  else if (o.by && o.key) keys = [o.key];
  else if (o.by) keys = (await topN(ds, o.by, o.window, 5)).items.map((i) => i.key);

  const series = [];
  if (!o.by && !o.ip) {
    // The total comes from the hourly rollup (migration 1764280000001), summed over its shards.
    const rows: { t: Date; n: number }[] = await ds.query(
      `SELECT g.t, coalesce(c.n, 0)::int AS n
         FROM generate_series($2::timestamptz, $3::timestamptz, ('1 ' || $1)::interval) AS g(t)
         LEFT JOIN (SELECT date_trunc($1, hour, 'UTC') AS t, sum(n) AS n FROM report_hourly
                     WHERE hour >= $2 GROUP BY 1) c ON c.t = g.t
        ORDER BY g.t`,
      [o.bucket, start, end],
    );
    series.push({ key: null, points: rows.map((r) => [r.t.toISOString(), r.n] as [string, number]) });
    keys = [];
  }
  for (const key of keys) {
    const params: unknown[] = [o.bucket, start, end];
    let filter = '';
    if (o.ip) {
      params.push(o.ip);
      filter = `AND (relay_ip = $4::inet OR originating_ip = $4::inet)`;
    } else if (o.by && key !== null) {
      params.push(key);
      filter = `AND ${COLUMN[o.by]} = $4${CAST[o.by]}`;
    }
    const rows: { t: Date; n: number }[] = await ds.query(
      `SELECT g.t, coalesce(c.n, 0)::int AS n
         FROM generate_series($2::timestamptz, $3::timestamptz, ('1 ' || $1)::interval) AS g(t)
         LEFT JOIN (SELECT date_trunc($1, received_at, 'UTC') AS t, count(*) AS n FROM reports
                     WHERE received_at >= $2 ${filter} GROUP BY 1) c ON c.t = g.t
        ORDER BY g.t`,
      params,
    );
    series.push({ key, points: rows.map((r) => [r.t.toISOString(), r.n] as [string, number]) });
  }
  return { bucket: o.bucket, from: start.toISOString(), to: end.toISOString(), series };
}

function parseWindowMs(w: Window): number {
  return { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 }[w];
}
