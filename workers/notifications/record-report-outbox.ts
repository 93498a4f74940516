import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { CompiledTenancy } from '../../shared/tenancy/compiled-tenancy.ts';
import { shouldNotify } from '../../shared/notifications/notify-policy.ts';
import { tenantNotify } from '../../shared/notifications/tenant-policies.ts';
import { recordEvents, type RecordedEvent } from '../../shared/webhooks/record-event.ts';
import { dispatchAfterCommit } from '../../shared/webhooks/outbox-dispatch.ts';
import type { ReporterTrust } from '../../shared/trust/reporter-trust.ts';
import { recordOwnerFeedback } from '../sender-data/record-owner-feedback.ts';

/** What the report commit needs to decide notifications: the imported tenancy. */
export interface ReportOutbox {
  /** Called inside the report's transaction with its EntityManager (see TenancyCache.get). */
  tenancy: (em?: EntityManager) => Promise<CompiledTenancy>;
  /** REPUTATION_MIN_TRUST: set → IP owners' feedback-loop copies are recorded too (docs/sender-data.md). */
  minTrust?: ReporterTrust;
}

interface Row {
  id: string;
  submission_id: string;
  kind: string;
  direction: string;
  originating_ip: string | null;
  relay_ip: string | null;
  tenant_id: string | null;
  tenant_confidence: string | null;
  feedback_type: string | null;
  reporter_trust: string;
}

/**
 * The report commit's outbox step, in the reports' transaction: webhook events for each NEW report
 * and the tenant notifications the thresholds call for (see `recordTenantNotifications`).
 */
export async function recordReportOutbox(em: EntityManager, reportIds: string[], outbox: ReportOutbox): Promise<void> {
  if (reportIds.length === 0) return;
  const rows = await reportRows(em, reportIds);
  await recordReportEvents(em, rows);
  await notifyTenants(em, rows, outbox);
  if (outbox.minTrust) await recordOwnerFeedback(em, reportIds, outbox.minTrust);
}

/**
 * The tenant notifications the thresholds call for NOW — an ARF notification row, or a digest
 * item — for reports that may already have been considered: the `notification_items` key (report,
 * tenant) makes it one per report per tenant whatever redelivers or re-runs. Called by the report
 * commit, and again when a report's trust changes after intake (a confirmed web report, an
 * analyst's promotion), so a report that only now meets a tenant's `minTrust` is notified then.
 * Caps and pauses are applied when the mail is sent, in one place (send-notification.ts).
 */
export async function recordTenantNotifications(em: EntityManager, reportIds: string[], outbox: ReportOutbox): Promise<void> {
  if (reportIds.length === 0) return;
  await notifyTenants(em, await reportRows(em, reportIds), outbox);
  if (outbox.minTrust) await recordOwnerFeedback(em, reportIds, outbox.minTrust);
}

function reportRows(em: EntityManager, reportIds: string[]): Promise<Row[]> {
  return em.query(
    `SELECT id, submission_id, kind, direction, host(originating_ip) AS originating_ip, host(relay_ip) AS relay_ip,
            tenant_id, tenant_confidence, feedback_type, reporter_trust
       FROM reports WHERE id = ANY($1::uuid[])`,
    [reportIds],
  );
}

/** `report.processed`, and `report.attributed` when a tenant was found: once, when the report is written. */
async function recordReportEvents(em: EntityManager, rows: Row[]): Promise<void> {
  const events: RecordedEvent[] = [];
  for (const r of rows) {
    events.push({ type: 'report.processed', payload: { reportId: r.id, submissionId: r.submission_id, kind: r.kind, direction: r.direction, originatingIp: r.originating_ip, relayIp: r.relay_ip, tenant: r.tenant_id, feedbackType: r.feedback_type } });
    if (r.tenant_id) events.push({ type: 'report.attributed', payload: { reportId: r.id, tenant: r.tenant_id, tenantConfidence: r.tenant_confidence, originatingIp: r.originating_ip } });
  }
  await recordEvents(em, events);
}

async function notifyTenants(em: EntityManager, rows: Row[], outbox: ReportOutbox): Promise<void> {
  const attributed = rows.filter((r) => r.tenant_id !== null);
  if (attributed.length === 0) return;
  const tenancy = await outbox.tenancy(em);
  const arf: { id: string; tenant: string; recipients: string[]; reportId: string }[] = [];
  const digest: { reportId: string; tenant: string }[] = [];
  for (const r of attributed) {
    const { policy, recipients } = tenantNotify(tenancy, r.tenant_id!);
    if (!shouldNotify({ tenantConfidence: r.tenant_confidence, reporterTrust: r.reporter_trust }, policy).notify) continue;
    if (policy.mode === 'arf') arf.push({ id: randomUUID(), tenant: r.tenant_id!, recipients, reportId: r.id });
    else digest.push({ reportId: r.id, tenant: r.tenant_id! });
  }
  if (digest.length) {
    await em.query(
      `INSERT INTO notification_items (report_id, tenant_id) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING`,
      [digest.map((d) => d.reportId), digest.map((d) => d.tenant)],
    );
  }
  if (arf.length === 0) return;
  // Claim the (report, tenant) keys first; only what was claimed gets a notification.
  const claimed: { report_id: string }[] = await em.query(
    `INSERT INTO notification_items (report_id, tenant_id, notification_id)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[]) ON CONFLICT DO NOTHING RETURNING report_id`,
    [arf.map((a) => a.reportId), arf.map((a) => a.tenant), arf.map((a) => a.id)],
  );
  const mine = new Set(claimed.map((c) => c.report_id));
  const created = arf.filter((a) => mine.has(a.reportId));
  if (created.length === 0) return;
  // notification_items' foreign key is deferred to COMMIT, so the rows can follow the claim.
  await em.query(
    `INSERT INTO notifications (id, tenant_id, channel, recipients, report_ids)
     SELECT id, tenant, 'arf', string_to_array(rcpt, ' '), ARRAY[report] FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) AS t(id, tenant, rcpt, report)`,
    [created.map((a) => a.id), created.map((a) => a.tenant), created.map((a) => a.recipients.join(' ')), created.map((a) => a.reportId)],
  );
  dispatchAfterCommit(em, { notifications: created.map((a) => a.id) });
}
