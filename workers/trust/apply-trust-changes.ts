import type { DataSource, EntityManager } from 'typeorm';
import type { ReporterTrust } from '../../shared/trust/reporter-trust.ts';
import { applyCandidates, baseWeight, moves, type Candidate, type ReputationContext } from '../reputation/apply-events.ts';
import { restoreEvents, withdrawEvents } from '../reputation/event-withdrawals.ts';
import { recordTenantNotifications, type ReportOutbox } from '../notifications/record-report-outbox.ts';
import { recountCampaignReporters } from '../../shared/campaigns/store/recount-reporters.ts';

export interface TrustChangeResult {
  /** Trust changes whose effect was applied in this run. */
  applied: number;
}

interface Change {
  id: string;
  submission_id: string;
  report_id: string | null;
  reason: string;
  actor: string;
}

interface ReportState {
  id: string;
  submission_id: string;
  received_at: Date;
  reporter_trust: ReporterTrust;
  reporter_identity: string | null;
  feedback_loop: string | null;
  category: string | null;
  relay_ip: string | null;
  originating_ip: string | null;
  via_platform: boolean;
  tenant_id: string | null;
  sending_domain: string | null;
  from_domain: string | null;
  feedback_type: string | null;
  active: number;
  active_negative: number;
  withdrawn: number;
}

/**
 * The `apply-trust-changes` job: brings reputation in line with trust changes made after intake
 * (a confirmed web report, an analyst's promotion or demotion), recorded in `report_trust_changes`
 * and not applied yet. Queued by the api after each change and scheduled every 10 s (which heals a
 * queueing lost to a Redis outage). Exactly once per report whatever the redeliveries: each report
 * row is locked and its effect derived from its events — none yet and trusted enough → applied
 * now, dated at the report's own time; withdrawn and trusted again → restored; standing and no
 * longer trusted → withdrawn. A second run finds nothing left to do.
 */
export async function applyTrustChanges(ds: DataSource, ctx: ReputationContext, batch = 50, outbox?: ReportOutbox): Promise<TrustChangeResult> {
  let applied = 0;
  for (;;) {
    const n = await ds.transaction((em) => applyBatch(em, ctx, batch, outbox));
    applied += n;
    if (n < batch) break;
  }
  // Spent and expired confirmation links are kept a week for support questions, then removed.
  await ds.query(`DELETE FROM trust_confirmations WHERE expires_at < now() - interval '7 days'`);
  return { applied };
}

async function applyBatch(em: EntityManager, ctx: ReputationContext, batch: number, outbox?: ReportOutbox): Promise<number> {
  const changes: Change[] = await em.query(
    `SELECT id, submission_id, report_id, reason, actor FROM report_trust_changes WHERE applied_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [batch],
  );
  if (changes.length === 0) return 0;
  const now = new Date((ctx.now ?? Date.now)());
  // The reports concerned, locked in id order: a confirmation and a promotion of one report apply one after the other.
  await em.query(
    `SELECT id FROM reports WHERE id = ANY($1::uuid[]) OR submission_id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
    [changes.filter((c) => c.report_id).map((c) => c.report_id), changes.filter((c) => !c.report_id).map((c) => c.submission_id)],
  );
  const reports: ReportState[] = await em.query(
    // The submission's received_at (read as text): the time the report was made.
    `SELECT r.id, r.submission_id, s.received_at, r.reporter_trust, s.reporter_identity, s.feedback_loop, s.category,
            host(r.relay_ip) AS relay_ip, host(r.originating_ip) AS originating_ip, r.via_platform, r.tenant_id,
            r.sending_domain, r.from_domain, r.feedback_type,
            (SELECT count(*) FROM reputation_events e WHERE e.report_id = r.id AND e.withdrawn_at IS NULL)::int AS active,
            (SELECT count(*) FROM reputation_events e WHERE e.report_id = r.id AND e.withdrawn_at IS NULL AND e.weight < 0)::int AS active_negative,
            (SELECT count(*) FROM reputation_events e WHERE e.report_id = r.id AND e.withdrawn_at IS NOT NULL)::int AS withdrawn
       FROM reports r JOIN submissions s ON s.id = r.submission_id
      WHERE r.id = ANY($1::uuid[]) OR r.submission_id = ANY($2::uuid[])
      ORDER BY r.received_at, r.id`,
    [changes.filter((c) => c.report_id).map((c) => c.report_id), changes.filter((c) => !c.report_id).map((c) => c.submission_id)],
  );

  const effect = new Map<string, string>();
  const fresh: Candidate[] = [];
  const toRestore: { id: string; positiveOnly: boolean }[] = [];
  const toWithdraw: { id: string; onlyNegative: boolean; why: string }[] = [];
  const why = new Map<string, string>();
  for (const c of changes) why.set(c.report_id ?? c.submission_id, `${c.actor}: ${c.reason}`);
  for (const r of reports) {
    const counts = moves(r.reporter_trust, ctx.settings);
    const reason = `trust now ${r.reporter_trust} (${why.get(r.id) ?? why.get(r.submission_id) ?? 'trust change'})`;
    if (counts && r.active === 0 && r.withdrawn === 0) {
      fresh.push({
        reportId: r.id, trust: r.reporter_trust, identity: r.reporter_identity, feedbackLoop: r.feedback_loop,
        source: { relayIp: r.relay_ip, originatingIp: r.originating_ip, viaPlatform: r.via_platform, tenant: r.tenant_id, sendingDomain: r.sending_domain, fromDomain: r.from_domain },
        weight: baseWeight(r.feedback_type, r.category),
        at: r.received_at,
      });
      effect.set(r.id, 'applied');
    } else if (counts && r.withdrawn > 0) {
      toRestore.push({ id: r.id, positiveOnly: r.reporter_trust !== 'feed' });
      effect.set(r.id, 'restored');
    } else if (!counts && r.active > 0) {
      toWithdraw.push({ id: r.id, onlyNegative: false, why: `withdrawn: ${reason}, below REPUTATION_MIN_TRUST ${ctx.settings.minTrust}` });
      effect.set(r.id, 'withdrawn');
    } else if (counts && r.reporter_trust !== 'feed' && r.active_negative > 0) {
      toWithdraw.push({ id: r.id, onlyNegative: true, why: `withdrawn: ${reason}; only a feed's not-spam retracts` });
      effect.set(r.id, 'retraction withdrawn');
    } else {
      effect.set(r.id, counts ? 'already counted' : 'counts for nothing');
    }
  }

  const notes: string[] = [];
  if (fresh.length) {
    const out = await applyCandidates(em, fresh, ctx, now);
    notes.push(`${out.events} events applied at the reports' own time${out.listed.length ? `; listed ${out.listed.join(', ')}` : ''}`);
  }
  for (const w of toWithdraw) notes.push(`${(await withdrawEvents(em, [w.id], w.why, ctx, now, w.onlyNegative)).events} events withdrawn`);
  for (const r of toRestore) {
    const out = await restoreEvents(em, [r.id], ctx, now, r.positiveOnly);
    notes.push(`${out.events} events restored${out.listed.length ? `; listed ${out.listed.join(', ')}` : ''}`);
  }

  // A report that now meets a tenant's notification thresholds is notified now (once per report
  // and tenant, whatever ran before); a demoted one keeps the notification it already had.
  if (outbox) await recordTenantNotifications(em, reports.map((r) => r.id), outbox);
  // Campaigns count distinct reporters per trust level: recount those of these reports (docs/campaigns.md).
  await recountCampaignReporters(em, reports.map((r) => r.id));

  for (const c of changes) {
    const mine = reports.filter((r) => (c.report_id ? r.id === c.report_id : r.submission_id === c.submission_id));
    const text = mine.length === 0
      ? 'no report yet: the worker applies the trust when it processes the submission'
      : `${mine.map((r) => `${r.id}: ${effect.get(r.id)}`).join('; ')}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    await em.query(`UPDATE report_trust_changes SET applied_at = $2, effect = $3 WHERE id = $1`, [c.id, now, text.slice(0, 4000)]);
  }
  return changes.length;
}
