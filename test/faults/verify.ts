import pg from 'pg';
import type { Outcome } from './traffic.ts';

export interface Verdict {
  accepted: number;
  refused: number;
  lost: string[];
  duplicated: string[];
  /** Kept although the client saw no acceptance (e.g. the answer was lost): harmless, reported. */
  keptUnacknowledged: number;
  /** Not final yet when we gave up waiting. */
  pending: number;
  reputation: { checked: boolean; domainReports: number | null; domainEvents: number | null; note: string };
}

/** Reads the outcome back from Postgres: one processed report per accepted marker, no more. */
export async function verify(url: string, outcomes: Outcome[], domain: string): Promise<Verdict> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows: { marker: string; reports: number; counted: number; statuses: string[] }[] = (
      await client.query(
        // `counted`: reports whose trust moves reputation (the default REPUTATION_MIN_TRUST, verified):
        // the HTTP intake's key is trusted, an SMTP forward from an unknown sender is not.
        `SELECT split_part(trim(both '<>' from r.message_id), '@', 1) AS marker, count(*)::int AS reports,
                count(*) FILTER (WHERE r.reporter_trust <> 'anonymous')::int AS counted,
                array_agg(DISTINCT s.status) AS statuses
           FROM reports r JOIN submissions s ON s.id = r.submission_id
          WHERE r.message_id LIKE $1 GROUP BY 1`,
        [`%@${domain}%`],
      )
    ).rows;
    const byMarker = new Map(rows.map((r) => [r.marker, r]));
    const accepted = outcomes.filter((o) => o.accepted);
    const acceptedSet = new Set(accepted.map((o) => o.marker));
    const lost = accepted.filter((o) => !byMarker.get(o.marker)?.statuses.includes('processed')).map((o) => o.marker);
    const duplicated = rows.filter((r) => r.reports > 1).map((r) => r.marker);
    const [{ pending }] = (await client.query(`SELECT count(*)::int AS pending FROM submissions WHERE status IN ('received','queued')`)).rows;
    return {
      accepted: accepted.length,
      refused: outcomes.length - accepted.length,
      lost,
      duplicated,
      keptUnacknowledged: rows.filter((r) => !acceptedSet.has(r.marker)).length,
      pending,
      reputation: await reputationCounts(client, domain, rows.reduce((n, r) => n + r.counted, 0)),
    };
  } finally {
    await client.end();
  }
}

/**
 * Every report names the run's own sending domain, so that domain's reputation subject must count
 * exactly the reports kept that reputation counts (trusted ones). Checked only once the reputation tables exist and the worker writes to them.
 */
async function reputationCounts(client: pg.Client, domain: string, reportsKept: number): Promise<Verdict['reputation']> {
  const { rows: [t] } = await client.query(`SELECT to_regclass('reputation_subjects') IS NOT NULL AS present`);
  if (!t.present) return { checked: false, domainReports: null, domainEvents: null, note: 'no reputation tables yet' };
  const { rows: [s] } = await client.query(`SELECT COALESCE(sum(reports), 0)::int AS n FROM reputation_subjects WHERE kind = 'domain' AND key = $1`, [domain]);
  const { rows: [e] } = await client.query(`SELECT count(*)::int AS n FROM reputation_events WHERE kind = 'domain' AND key = $1`, [domain]);
  if (s.n === 0 && e.n === 0) {
    return { checked: false, domainReports: 0, domainEvents: 0, note: 'the worker wrote no reputation effects (reputation not wired into processing yet)' };
  }
  const ok = s.n === reportsKept && e.n === reportsKept;
  return { checked: true, domainReports: s.n, domainEvents: e.n, note: ok ? 'equal to the reports kept' : `MISMATCH: ${reportsKept} reports kept` };
}
