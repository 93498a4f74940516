import type { DataSource } from 'typeorm';

/**
 * Top registrable domains linked from reported bodies over a trailing window, from the hourly rollup
 * the worker keeps (url_domain_hourly, summed over its shards). `interval` comes from a fixed map.
 */
export async function topUrlDomains(ds: DataSource, interval: string, limit: number): Promise<{ key: string; count: number }[]> {
  return ds.query(
    `SELECT domain AS key, sum(n)::int AS count FROM url_domain_hourly
      WHERE hour >= date_trunc('hour', now() - interval '${interval}', 'UTC')
      GROUP BY domain ORDER BY count DESC, domain LIMIT $1`,
    [limit],
  );
}
