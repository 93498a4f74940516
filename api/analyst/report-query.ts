import type { DataSource } from 'typeorm';
import { AppError } from '../../shared/errors/app-error.ts';
import type { ReportFilters } from './schemas.ts';
import type { ReporterTrust } from '../../shared/trust/reporter-trust.ts';
import { decodeReportCursor, encodeReportCursor } from './report-cursor.ts';

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

/** Columns of a report summary; `cursor_ts` keeps Postgres' microseconds, which a JS Date would lose. */
export const SUMMARY_COLUMNS = `id, received_at, channel, kind, subject, from_address, from_domain, message_id, direction,
  host(relay_ip) AS relay_ip, host(originating_ip) AS originating_ip, tenant_id, tenant_confidence, feedback_type, reporter_trust,
  campaign_id::text AS campaign_id,
  to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_ts`;

export interface SummaryRow {
  id: string;
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
  campaign_id: string | null;
  cursor_ts: string;
}

export function summaryView(r: SummaryRow) {
  return {
    id: r.id,
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
    campaignId: r.campaign_id,
  };
}
export type ReportSummary = ReturnType<typeof summaryView>;

/** Keyset cursor: the (received_at, id) of the last row, opaque to clients (report-cursor.ts). */
export function encodeCursor(row: SummaryRow): string {
  return encodeReportCursor(row.cursor_ts, row.id);
}

function decodeCursor(cursor: string): [string, string] {
  const decoded = decodeReportCursor(cursor);
  if (!decoded) {
    throw new AppError('validation_failed', 'invalid query parameter cursor: is not a cursor this API handed out', {
      problems: [{ field: 'cursor', in: 'query', message: 'is not a cursor this API handed out' }],
    });
  }
  return decoded;
}

export interface Page {
  items: ReportSummary[];
  nextCursor: string | null;
}

/** Newest first, keyset-paginated on (received_at, id): stable under inserts, O(limit) per page. */
export async function listReports(ds: DataSource, f: ReportFilters, limit: number, cursor?: string): Promise<Page> {
  const where = buildWhere(f);
  let sql = where.sql;
  if (cursor) {
    const [ts, id] = decodeCursor(cursor);
    where.params.push(ts, id);
    sql += ` AND (received_at, id) < ($${where.params.length - 1}::timestamptz, $${where.params.length}::uuid)`;
  }
  where.params.push(limit + 1);
  const rows: SummaryRow[] = await ds.query(
    `SELECT ${SUMMARY_COLUMNS} FROM reports WHERE ${sql} ORDER BY received_at DESC, id DESC LIMIT $${where.params.length}`,
    where.params,
  );
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { items: page.map(summaryView), nextCursor: more ? encodeCursor(page[page.length - 1]!) : null };
}
