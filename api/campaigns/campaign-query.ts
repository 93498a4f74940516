import type { DataSource } from 'typeorm';
import { invalid } from '../openapi/endpoint.ts';
import type { TriageStatus } from '../../shared/triage/triage-status.ts';
import type { CampaignListQuery } from './campaigns.schemas.ts';

/**
 * Reads of campaigns: the keyset-paged list with its filters and the per-campaign facets. Every value
 * is a bind parameter; column names come from the fixed maps below, never from a request.
 */

const SORT_COLUMN = { lastSeen: 'c.last_seen', reports: 'c.reports', reporters: 'c.reporters' } as const;
/** Facets listed per kind in a summary (the counts say how many there are). */
const TOP_FACETS = 5;

export interface CampaignRow {
  id: string;
  status: TriageStatus | null;
  assignee: string | null;
  first_seen: Date;
  last_seen: Date;
  reports: number;
  reporters: number;
  reporters_anonymous: number;
  reporters_verified: number;
  reporters_platform: number;
  reporters_feed: number;
  subject: string | null;
  subject_stem: string;
  merged_into: string | null;
  /** The sort value, as text with full precision (keyset cursor). */
  sort_value: string;
}

const COLUMNS = `c.id::text AS id, t.status, t.assignee, c.first_seen, c.last_seen, c.reports, c.reporters, c.reporters_anonymous,
  c.reporters_verified, c.reporters_platform, c.reporters_feed, c.subject, c.subject_stem, c.merged_into::text AS merged_into`;
const TRIAGE_JOIN = `LEFT JOIN triage_cases t ON t.subject_kind = 'campaign' AND t.subject_key = c.id::text`;

type Facets = Record<'relay_ip' | 'orig_ip' | 'tenant' | 'url_domain', { value: string; reports: number }[]>;
type FacetCounts = Record<keyof Facets, number>;

function encodeCursor(sort: string, row: CampaignRow): string {
  return Buffer.from(`${sort}|${row.sort_value}|${row.id}`).toString('base64url');
}

function decodeCursor(sort: string, cursor: string): [string, string] {
  const [s, value, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const valueOk = sort === 'lastSeen' ? /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(value ?? '') : /^\d{1,10}$/.test(value ?? '');
  if (s !== sort || !valueOk || !/^\d{1,18}$/.test(id ?? '') || extra !== undefined) {
    throw invalid([{ field: 'cursor', in: 'query', message: 'is not one this API handed out for this sort' }]);
  }
  return [value!, id!];
}

export async function listCampaigns(ds: DataSource, q: CampaignListQuery) {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const conds = ['c.merged_into IS NULL'];
  if (q.since) conds.push(`c.last_seen >= ${p(q.since)}::timestamptz`);
  if (q.until) conds.push(`c.first_seen < ${p(q.until)}::timestamptz`);
  if (q.tenant) conds.push(`EXISTS (SELECT 1 FROM campaign_facets f WHERE f.campaign_id = c.id AND f.kind = 'tenant' AND f.value = ${p(q.tenant)})`);
  if (q.ip) conds.push(`EXISTS (SELECT 1 FROM campaign_facets f WHERE f.campaign_id = c.id AND f.kind IN ('relay_ip', 'orig_ip') AND f.value = host(${p(q.ip)}::inet))`);
  if (q.domain) conds.push(`EXISTS (SELECT 1 FROM campaign_facets f WHERE f.campaign_id = c.id AND f.kind = 'url_domain' AND f.value = ${p(q.domain.toLowerCase())})`);
  if (q.status) conds.push(`coalesce(t.status, 'new') = ${p(q.status)}`);
  const col = SORT_COLUMN[q.sort];
  const sortText = q.sort === 'lastSeen' ? `to_char(c.last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : `${col}::text`;
  if (q.cursor) {
    const [value, id] = decodeCursor(q.sort, q.cursor);
    conds.push(`(${col}, c.id) < (${p(value)}::${q.sort === 'lastSeen' ? 'timestamptz' : 'int'}, ${p(id)}::bigint)`);
  }
  const rows: CampaignRow[] = await ds.query(
    `SELECT ${COLUMNS}, ${sortText} AS sort_value FROM campaigns c ${TRIAGE_JOIN}
      WHERE ${conds.join(' AND ')} ORDER BY ${col} DESC, c.id DESC LIMIT ${p(q.limit + 1)}`,
    params,
  );
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const facets = await facetsOf(ds, page.map((r) => r.id), TOP_FACETS);
  return { items: page.map((r) => summaryView(r, facets.get(r.id))), nextCursor: more ? encodeCursor(q.sort, page[page.length - 1]!) : null };
}

export async function campaignRow(ds: DataSource, id: string): Promise<CampaignRow | null> {
  const [row]: CampaignRow[] = await ds.query(`SELECT ${COLUMNS}, '' AS sort_value FROM campaigns c ${TRIAGE_JOIN} WHERE c.id = $1`, [id]);
  return row ?? null;
}

/** The top facets of each campaign, and how many distinct values each kind has. */
export async function facetsOf(ds: DataSource, ids: string[], top: number): Promise<Map<string, { facets: Facets; counts: FacetCounts }>> {
  const out = new Map<string, { facets: Facets; counts: FacetCounts }>();
  if (ids.length === 0) return out;
  const rows: { campaign_id: string; kind: keyof Facets; value: string; reports: number; rn: string; total: string }[] = await ds.query(
    `SELECT * FROM (
       SELECT campaign_id::text AS campaign_id, kind, value, reports,
              row_number() OVER (PARTITION BY campaign_id, kind ORDER BY reports DESC, value) AS rn,
              count(*) OVER (PARTITION BY campaign_id, kind) AS total
         FROM campaign_facets WHERE campaign_id = ANY($1::bigint[])) x
      WHERE rn <= $2`,
    [ids, top],
  );
  for (const id of ids) out.set(id, { facets: { relay_ip: [], orig_ip: [], tenant: [], url_domain: [] }, counts: { relay_ip: 0, orig_ip: 0, tenant: 0, url_domain: 0 } });
  for (const r of rows.sort((a, b) => Number(a.rn) - Number(b.rn))) {
    const e = out.get(r.campaign_id)!;
    e.facets[r.kind].push({ value: r.value, reports: r.reports });
    e.counts[r.kind] = Number(r.total);
  }
  return out;
}

export function summaryView(r: CampaignRow, f?: { facets: Facets; counts: FacetCounts }) {
  const facets = f?.facets ?? { relay_ip: [], orig_ip: [], tenant: [], url_domain: [] };
  const counts = f?.counts ?? { relay_ip: 0, orig_ip: 0, tenant: 0, url_domain: 0 };
  return {
    id: r.id,
    status: r.status ?? 'new',
    assignee: r.assignee,
    firstSeen: r.first_seen.toISOString(),
    lastSeen: r.last_seen.toISOString(),
    reports: r.reports,
    reporters: { total: r.reporters, anonymous: r.reporters_anonymous, verified: r.reporters_verified, platform: r.reporters_platform, feed: r.reporters_feed },
    subject: r.subject,
    subjectStem: r.subject_stem,
    mergedInto: r.merged_into,
    relayIps: facets.relay_ip,
    originatingIps: facets.orig_ip,
    tenants: facets.tenant,
    urlDomains: facets.url_domain,
    counts: { relayIps: counts.relay_ip, originatingIps: counts.orig_ip, tenants: counts.tenant, urlDomains: counts.url_domain },
  };
}
export type CampaignSummary = ReturnType<typeof summaryView>;
