import type { DataSource } from 'typeorm';
import { AppError } from '../../shared/errors/app-error.ts';
import { readCase } from '../triage/triage-store.ts';
import { campaignRow, facetsOf, summaryView } from './campaign-query.ts';

/** Facets listed on a campaign's own page. */
const DETAIL_FACETS = 50;
/** Sample subjects are read from this many of the newest reports (a 100,000-report campaign stays cheap). */
const SUBJECT_SAMPLE = 5000;
const WINDOW_MS = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;

/**
 * One campaign with its facets, sample subjects, triage case and a zero-filled time series from the
 * hourly counts, ending at its last report. A merged campaign answers with `mergedInto` set.
 */
export async function campaignDetail(ds: DataSource, id: string, bucket: 'hour' | 'day', window: keyof typeof WINDOW_MS) {
  const row = await campaignRow(ds, id);
  if (!row) throw new AppError('not_found', `no campaign ${id}`);
  const facets = (await facetsOf(ds, [id], DETAIL_FACETS)).get(id);
  const subjects: { subject: string; reports: number }[] = await ds.query(
    `SELECT subject, count(*)::int AS reports FROM (
       SELECT subject FROM reports WHERE campaign_id = $1 ORDER BY received_at DESC LIMIT ${SUBJECT_SAMPLE}) r
      WHERE subject IS NOT NULL GROUP BY subject ORDER BY reports DESC, subject LIMIT 10`,
    [id],
  );
  const [{ end }]: [{ end: Date }] = await ds.query(`SELECT date_trunc($1, $2::timestamptz, 'UTC') AS end`, [bucket, row.last_seen]);
  const stepMs = bucket === 'hour' ? 3_600_000 : 86_400_000;
  const start = new Date(end.getTime() - Math.max(0, WINDOW_MS[window] - stepMs));
  const points: { t: Date; n: number }[] = await ds.query(
    `SELECT g.t, coalesce(c.n, 0)::int AS n
       FROM generate_series($2::timestamptz, $3::timestamptz, ('1 ' || $1)::interval) AS g(t)
       LEFT JOIN (SELECT date_trunc($1, hour, 'UTC') AS t, sum(n) AS n FROM campaign_hourly
                   WHERE campaign_id = $4 AND hour >= $2 GROUP BY 1) c ON c.t = g.t
      ORDER BY g.t`,
    [bucket, start, end, id],
  );
  return {
    ...summaryView(row, facets),
    sampleSubjects: subjects,
    series: { bucket, from: start.toISOString(), to: end.toISOString(), points: points.map((p) => [p.t.toISOString(), p.n] as [string, number]) },
    triage: await readCase(ds, 'campaign', id),
    reportsUrl: `/v1/reports?campaign=${id}`,
  };
}
