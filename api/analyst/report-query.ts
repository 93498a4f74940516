import type { DataSource } from 'typeorm';
import { boundedCount, type BoundedCount } from '../lists/bounded-count.ts';
import { keysetPage } from '../lists/keyset.ts';
import type { ReportFilters } from './schemas.ts';
import type { ReporterTrust } from '../../shared/trust/reporter-trust.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * SQL for the report filters. Every value is a bind parameter; column names come from this file
 * only. Shared by the list, the export and the UI search page so they always agree.
 */
export interface Where {
  sql: string;
  params: unknown[];
}

/** The expression the trigram index (migration 1764280000000) is built on: keep them identical. */
export const TEXT_EXPR = `(coalesce(subject,'') || ' ' || coalesce(from_address,'') || ' ' || coalesce(message_id,''))`;

export function buildWhere(f: ReportFilters, params: unknown[] = []): Where {
  const conds: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.ip) {
    const v = p(f.ip);
    conds.push(`(relay_ip = ${v}::inet OR originating_ip = ${v}::inet)`);
  }
  if (f.cidr) {
    const v = p(f.cidr);
    conds.push(`(relay_ip <<= ${v}::inet OR originating_ip <<= ${v}::inet)`);
  }
  if (f.tenant) conds.push(`tenant_id = ${p(f.tenant)}`);
  if (f.direction) conds.push(`direction = ${p(f.direction)}`);
  if (f.kind) conds.push(`kind = ${p(f.kind)}`);
  if (f.feedbackType) conds.push(`feedback_type = ${p(f.feedbackType)}`);
  if (f.channel) conds.push(`channel = ${p(f.channel)}`);
  if (f.confidence) conds.push(`tenant_confidence = ${p(f.confidence)}`);
  if (f.trust) conds.push(`reporter_trust = ${p(f.trust)}`);
  if (f.since) conds.push(`received_at >= ${p(f.since)}::timestamptz`);
  if (f.until) conds.push(`received_at < ${p(f.until)}::timestamptz`);
  if (f.campaign) conds.push(`campaign_id = ${p(f.campaign)}::bigint`);
  if (f.q && UUID.test(f.q.trim())) {
    // An id: a report's own, or a submission's (the tracking id a reporter quotes).
    const v = p(f.q.trim().toLowerCase());
    conds.push(`(id = ${v}::uuid OR submission_id = ${v}::uuid)`);
  } else if (f.q) conds.push(`${TEXT_EXPR} ILIKE ${p(`%${escapeLike(f.q)}%`)}`);
  return { sql: conds.length ? conds.join(' AND ') : 'true', params };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Columns of a report summary (keyset.ts adds the cursor's `_ts` / `_id`). */
export const SUMMARY_COLUMNS = `id, submission_id, received_at, channel, kind, subject, from_address, from_domain, message_id, direction,
  host(relay_ip) AS relay_ip, host(originating_ip) AS originating_ip, tenant_id, tenant_confidence, feedback_type, reporter_trust,
  campaign_id::text AS campaign_id`;

/** The submission's own fields (web form and API: category, description), one lookup per row. */
export const SUBMISSION_COLUMNS = `(SELECT s.category FROM submissions s WHERE s.id = reports.submission_id) AS category,
  (SELECT s.description FROM submissions s WHERE s.id = reports.submission_id) AS description`;

export interface SummaryRow {
  id: string;
  submission_id: string;
  received_at: Date;
  channel: string;
  kind: string;
  subject: string | null;
  from_address: string | null;
  from_domain: string | null;
  message_id: string | null;
  direction: string;
  relay_ip: string | null;
  originating_ip: string | null;
  tenant_id: string | null;
  tenant_confidence: string | null;
  feedback_type: string | null;
  reporter_trust: ReporterTrust;
  category?: string | null;
  description?: string | null;
  campaign_id: string | null;
}

export function summaryView(r: SummaryRow) {
  return {
    id: r.id,
    submissionId: r.submission_id,
    receivedAt: r.received_at.toISOString(),
    channel: r.channel,
    kind: r.kind,
    subject: r.subject,
    from: r.from_address,
    fromDomain: r.from_domain,
    messageId: r.message_id,
    direction: r.direction,
    relayIp: r.relay_ip,
    originatingIp: r.originating_ip,
    tenant: r.tenant_id,
    tenantConfidence: r.tenant_confidence,
    feedbackType: r.feedback_type,
    reporterTrust: r.reporter_trust,
    category: r.category ?? null,
    description: r.description ?? null,
    campaignId: r.campaign_id,
  };
}
export type ReportSummary = ReturnType<typeof summaryView>;

export interface Page {
  items: ReportSummary[];
  nextCursor: string | null;
  prevCursor: string | null;
}

export interface ReportPageRequest {
  limit: number;
  /** The next (older) page: `nextCursor` of the page before. */
  cursor?: string | undefined;
  /** The previous (newer) page: `prevCursor` of the page after. */
  before?: string | undefined;
  /** Rows to skip (the UI's page numbers; bounded by the count bound). */
  offset?: number | undefined;
}

/**
 * Newest first, keyset-paginated on (received_at, id): stable under inserts, O(limit) per page.
 * The submissions' category and description are read afterwards for the page's rows only (a join
 * in the ordered query could make the planner read them for every matching row).
 */
export async function listReports(ds: DataSource, f: ReportFilters, limit: number, cursor?: string, page: Omit<ReportPageRequest, 'limit' | 'cursor'> = {}): Promise<Page> {
  const where = buildWhere(f);
  const got = await keysetPage<SummaryRow>(
    ds,
    { select: SUMMARY_COLUMNS, from: 'reports', where: where.sql, params: where.params, ts: 'received_at', id: 'id', idType: 'uuid' },
    { limit, after: cursor, before: page.before, offset: page.offset, field: cursor ? 'cursor' : 'before' },
  );
  const ids = [...new Set(got.rows.map((r) => r.submission_id))];
  const subs: { id: string; category: string | null; description: string | null }[] = ids.length
    ? await ds.query(`SELECT id, category, description FROM submissions WHERE id = ANY($1::uuid[])`, [ids])
    : [];
  const byId = new Map(subs.map((s) => [s.id, s]));
  return {
    items: got.rows.map((r) => summaryView({ ...r, category: byId.get(r.submission_id)?.category ?? null, description: byId.get(r.submission_id)?.description ?? null })),
    nextCursor: got.next,
    prevCursor: got.prev,
  };
}

/**
 * How many reports match, exactly up to the bound (api/lists/bounded-count.ts). `ip` and `cidr`
 * OR two indexes: counted by bitmap, whatever else is given. Filters that each have an index
 * (tenant, channel, time, text) never fall back to a sequential scan. Others are the planner's.
 */
export function countReports(ds: DataSource, f: ReportFilters): Promise<BoundedCount | null> {
  const where = buildWhere(f);
  const given = Object.entries(f).filter(([, v]) => v !== undefined).map(([k]) => k);
  const indexed = ['tenant', 'channel', 'since', 'until', 'q'];
  const steer = f.ip || f.cidr ? 'bitmap' : given.length && given.every((k) => indexed.includes(k)) ? 'index' : undefined;
  return boundedCount(ds, `reports WHERE ${where.sql}`, where.params, steer ? { steer } : {});
}
