import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AnalyzedReport } from '../../shared/analysis/types.ts';
import { placeholders } from '../../shared/intake/submission-writer.ts';

export interface SubmissionRow {
  id: string;
  channel: string;
  received_at: Date;
  reporter: string | null;
}

const COLUMNS = [
  'id', 'submission_id', 'idx', 'received_at', 'channel', 'reporter', 'kind', 'subject', 'from_address', 'from_domain',
  'message_id', 'sent_at', 'received_chain', 'hops', 'direction', 'relay_ip', 'originating_ip', 'via_platform',
  'tenant_id', 'recipient_tenant_id', 'tenant_confidence', 'conflict', 'feedback_type', 'arf', 'evidence', 'deciding_hop',
] as const;

/**
 * Inserts a submission's reports. `(submission_id, idx)` is unique, so a second delivery of the
 * same job inserts nothing; returns the ids of rows actually inserted (reputation counts only those).
 */
export async function storeReports(em: EntityManager, s: SubmissionRow, kind: string, reports: AnalyzedReport[]): Promise<string[]> {
  if (reports.length === 0) return [];
  const values = reports.map((r, idx) => [
    randomUUID(), s.id, idx, s.received_at, s.channel, r.reporter ?? s.reporter, kind, r.subject, r.from, r.fromDomain,
    r.messageId, r.date, JSON.stringify(r.receivedChain), JSON.stringify(r.hops), r.direction, r.relayIp,
    r.originatingIp, r.viaPlatform, r.tenant, r.recipientTenant, r.tenantConfidence, r.conflict, r.feedbackType,
    r.arf ? JSON.stringify(r.arf) : null, JSON.stringify(r.evidence), r.decidingHop,
  ]);
  const rows: { id: string }[] = await em.query(
    `INSERT INTO reports (${COLUMNS.join(',')}) VALUES ${placeholders(values.length, COLUMNS.length)}
     ON CONFLICT (submission_id, idx) DO NOTHING RETURNING id`,
    values.flat(),
  );
  return rows.map((r) => r.id);
}
