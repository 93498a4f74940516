import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AnalyzedReport } from '../../shared/analysis/types.ts';
import { placeholders } from '../../shared/db/placeholders.ts';
import type { ReporterTrust } from '../../shared/trust/reporter-trust.ts';

export interface SubmissionRow {
  id: string;
  channel: string;
  received_at: Date;
  reporter: string | null;
  /** The submission's trust as the claiming UPDATE read it (a confirmation may have raised it); copied to each report. */
  reporter_trust?: ReporterTrust;
  /** A trap hit's SMTP session (channel `trap`): kept on each report for per-IP data; absent otherwise. */
  smtp?: { helo: string | null; mailFrom: string | null };
}

const COLUMNS = [
  'id', 'submission_id', 'idx', 'received_at', 'channel', 'reporter', 'kind', 'subject', 'from_address', 'from_domain',
  'message_id', 'sent_at', 'received_chain', 'hops', 'direction', 'relay_ip', 'originating_ip', 'via_platform',
  'tenant_id', 'recipient_tenant_id', 'tenant_confidence', 'conflict', 'feedback_type', 'arf', 'evidence', 'deciding_hop',
  'reporter_trust', 'sending_domain', 'smtp_helo', 'smtp_mail_from',
] as const;

/** Rows per INSERT: Postgres takes at most 65,535 parameters in one statement. */
const MAX_ROWS = Math.floor(65_535 / COLUMNS.length);

/**
 * Inserts a submission's reports. `(submission_id, idx)` is unique, so a second delivery of the
 * same job inserts nothing; returns the ids of rows actually inserted (reputation counts only those).
 */
export async function storeReports(em: EntityManager, s: SubmissionRow, kind: string, reports: AnalyzedReport[]): Promise<string[]> {
  return (await storeReportsBatch(em, [{ row: s, kind, reports }])).get(s.id) ?? [];
}

/** The same for several submissions in one multi-row INSERT; returns inserted ids per submission. */
export async function storeReportsBatch(
  em: EntityManager,
  items: { row: SubmissionRow; kind: string; reports: AnalyzedReport[] }[],
): Promise<Map<string, string[]>> {
  const values = items.flatMap(({ row: s, kind, reports }) =>
    reports.map((r, idx) => [
      randomUUID(), s.id, idx, s.received_at, s.channel, r.reporter ?? s.reporter, kind, r.subject, r.from, r.fromDomain,
      r.messageId, r.date, JSON.stringify(r.receivedChain), JSON.stringify(r.hops), r.direction, r.relayIp,
      r.originatingIp, r.viaPlatform, r.tenant, r.recipientTenant, r.tenantConfidence, r.conflict, r.feedbackType,
      r.arf ? JSON.stringify(r.arf) : null, JSON.stringify(r.evidence), r.decidingHop,
      s.reporter_trust ?? 'anonymous', r.sendingDomain, s.smtp?.helo ?? null, s.smtp?.mailFrom ?? null,
    ]),
  );
  const out = new Map<string, string[]>();
  for (let i = 0; i < values.length; i += MAX_ROWS) {
    const chunk = values.slice(i, i + MAX_ROWS);
    const rows: { id: string; submission_id: string }[] = await em.query(
      `INSERT INTO reports (${COLUMNS.join(',')}) VALUES ${placeholders(chunk.length, COLUMNS.length)}
       ON CONFLICT (submission_id, idx) DO NOTHING RETURNING id, submission_id`,
      chunk.flat(),
    );
    for (const r of rows) {
      const list = out.get(r.submission_id);
      if (list) list.push(r.id);
      else out.set(r.submission_id, [r.id]);
    }
  }
  return out;
}
