import type { DataSource } from 'typeorm';
import { listReports, type ReportSummary } from './report-query.ts';
import type { ReportFilters } from './schemas.ts';
import { decayedScore } from '../../shared/reputation/decay.ts';

/**
 * The IP and tenant profiles: what the reports table says, plus the reputation tables — score
 * decayed to now, listing state and history, tenant flag, 24 h complaint rate against posted
 * delivery volume.
 */
export interface Breakdown {
  kind: Record<string, number>;
  feedbackType: Record<string, number>;
}

export interface SubjectProfile {
  subject: { kind: 'ip' | 'tenant'; key: string };
  reports: { total30d: number; last24h: number; last7d: number; breakdown: Breakdown; recent: ReportSummary[] };
  reputation: { score: number; storedScore: number; updatedAt: string; reports: number; lastReportAt: string | null; platform: boolean } | null;
  complaintRate: { complaints24h: number; delivered24h: number | null; rate: number | null };
  listing: { listed: boolean; listedAt: string | null; reasons: unknown; manual: boolean; expiresAt: string | null } | null;
  flag: { flaggedAt: string; score: number; reasons: unknown; clearedAt: string | null } | null;
  history: { action: string; reason: string; actor: string; at: string }[];
}

async function reportStats(ds: DataSource, cond: string, param: string) {
  const [counts]: { total: number; d1: number; d7: number }[] = await ds.query(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE received_at >= now() - interval '24 hours')::int AS d1,
            count(*) FILTER (WHERE received_at >= now() - interval '7 days')::int AS d7
       FROM reports WHERE ${cond} AND received_at >= now() - interval '30 days'`,
    [param],
  );
  const rows: { kind: string; feedback_type: string | null; n: number }[] = await ds.query(
    `SELECT kind, coalesce(feedback_type, '(none)') AS feedback_type, count(*)::int AS n
       FROM reports WHERE ${cond} AND received_at >= now() - interval '30 days' GROUP BY 1, 2`,
    [param],
  );
  const breakdown: Breakdown = { kind: {}, feedbackType: {} };
  for (const r of rows) {
    breakdown.kind[r.kind] = (breakdown.kind[r.kind] ?? 0) + r.n;
    breakdown.feedbackType[r.feedback_type!] = (breakdown.feedbackType[r.feedback_type!] ?? 0) + r.n;
  }
  return { total30d: counts!.total, last24h: counts!.d1, last7d: counts!.d7, breakdown };
}

async function reputation(ds: DataSource, kind: 'ip' | 'tenant', key: string, halfLifeMs: number) {
  const [row]: { score: number; updated_at: Date; reports: number; last_report_at: Date | null; platform: boolean }[] = await ds.query(
    `SELECT score, updated_at, reports, last_report_at, platform FROM reputation_subjects WHERE kind = $1 AND key = $2`,
    [kind, key],
  );
  if (!row) return null;
  return {
    score: Math.round(decayedScore(row.score, row.updated_at.getTime(), Date.now(), halfLifeMs) * 1000) / 1000,
    storedScore: row.score,
    updatedAt: row.updated_at.toISOString(),
    reports: row.reports,
    lastReportAt: row.last_report_at?.toISOString() ?? null,
    platform: row.platform,
  };
}

async function delivered24h(ds: DataSource, kind: 'ip' | 'tenant', key: string): Promise<number | null> {
  const [row]: { n: string | null }[] = await ds.query(
    `SELECT sum(delivered)::text AS n FROM delivery_volume WHERE kind = $1 AND key = $2 AND hour >= now() - interval '24 hours'`,
    [kind, key],
  );
  return row?.n ? Number(row.n) : null;
}

/** What both profiles share: report counts and breakdown, recent reports, score, complaint rate. */
async function commonProfile(
  ds: DataSource, kind: 'ip' | 'tenant', key: string, cond: string, filter: ReportFilters, halfLifeMs: number,
): Promise<SubjectProfile> {
  const stats = await reportStats(ds, cond, key);
  const recent = (await listReports(ds, filter, 20)).items;
  const delivered = await delivered24h(ds, kind, key);
  return {
    subject: { kind, key },
    reports: { ...stats, recent },
    reputation: await reputation(ds, kind, key, halfLifeMs),
    complaintRate: { complaints24h: stats.last24h, delivered24h: delivered, rate: delivered ? stats.last24h / delivered : null },
    listing: null,
    flag: null,
    history: [],
  };
}

export async function ipProfile(ds: DataSource, ip: string, halfLifeMs: number): Promise<SubjectProfile> {
  const [{ key }] = (await ds.query(`SELECT host($1::inet) AS key`, [ip])) as [{ key: string }];
  const profile = await commonProfile(ds, 'ip', key, `(relay_ip = $1::inet OR originating_ip = $1::inet)`, { ip: key }, halfLifeMs);
  const [listing]: { listed_at: Date; reasons: unknown; manual: boolean; expires_at: Date | null }[] = await ds.query(
    `SELECT listed_at, reasons, manual, expires_at FROM listings WHERE ip = $1::inet`, [key]);
  profile.listing = {
    listed: !!listing, listedAt: listing?.listed_at.toISOString() ?? null, reasons: listing?.reasons ?? null,
    manual: listing?.manual ?? false, expiresAt: listing?.expires_at?.toISOString() ?? null,
  };
  const history: { action: string; reason: string; actor: string; at: Date }[] = await ds.query(
    `SELECT action, reason, actor, at FROM listing_history WHERE ip = $1::inet ORDER BY at DESC LIMIT 50`,
    [key],
  );
  profile.history = history.map((h) => ({ ...h, at: h.at.toISOString() }));
  return profile;
}

export async function tenantProfile(ds: DataSource, tenant: string, halfLifeMs: number): Promise<SubjectProfile> {
  const profile = await commonProfile(ds, 'tenant', tenant, `tenant_id = $1`, { tenant }, halfLifeMs);
  const [flag]: { flagged_at: Date; score: number; reasons: unknown; cleared_at: Date | null }[] = await ds.query(
    `SELECT flagged_at, score, reasons, cleared_at FROM tenant_flags WHERE tenant_id = $1`,
    [tenant],
  );
  if (flag) profile.flag = { flaggedAt: flag.flagged_at.toISOString(), score: flag.score, reasons: flag.reasons, clearedAt: flag.cleared_at?.toISOString() ?? null };
  return profile;
}
