import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AnalyzedReport } from '../../shared/analysis/types.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { reputationSettings, type ReputationSettings } from '../../shared/reputation/settings.ts';
import { storeReports } from '../../workers/submissions/store-reports.ts';
import { applyReputation, type ReputationContext, type ReputationOutcome } from '../../workers/reputation/apply-reputation.ts';
import { addressIdentity } from '../../shared/identity/normalize-address.ts';
import type { ChannelTrust } from '../../shared/trust/channel-trust.ts';
import type { ReporterTrust } from '../../shared/trust/reporter-trust.ts';

/**
 * AnalyzedReport-shaped data for driving reputation directly (the attribution step is written
 * in parallel; until it lands the pipeline stores null IPs). Only the fields reputation reads vary.
 */
export function analyzed(over: Partial<AnalyzedReport>): AnalyzedReport {
  return {
    subject: 'cheap pills', from: 'spammer@bulk.example', fromDomain: 'bulk.example', messageId: `<${randomUUID()}@bulk.example>`,
    date: null, receivedChain: [], hops: [], direction: 'foreign', relayIp: null, originatingIp: null, viaPlatform: false,
    tenant: null, tenantConfidence: null, recipientTenant: null, conflict: false, decidingHop: null, feedbackType: null,
    arf: null, sendingDomain: 'bulk.example', reporter: null, evidence: ['test fixture'],
    ...over,
  };
}

export function settings(over: Partial<ReputationSettings> = {}): ReputationSettings {
  return { ...reputationSettings(loadConfig({})), ...over };
}

/** A verified reporter's channel trust (a personal reporting address): what most reputation tests drive. */
export const verified = (reporter: string | null): ChannelTrust => ({ trust: 'verified', identity: reporter ? addressIdentity(reporter) : null, feedbackLoop: null });

/** Inserts a submission (with its raw bytes) the way intake does, with the channel's trust; returns its id. */
export async function insertSubmission(
  ds: DataSource,
  reporter: string | null,
  raw = `Subject: x ${randomUUID()}\r\n\r\nbody\r\n`,
  trust: ChannelTrust = verified(reporter),
): Promise<string> {
  const id = randomUUID();
  const sha = createHash('sha256').update(raw).digest('hex');
  await ds.query(`INSERT INTO raw_messages (sha256, content, size_bytes) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [sha, Buffer.from(raw), raw.length]);
  await ds.query(
    `INSERT INTO submissions (id, channel, received_at, reporter, envelope_from, raw_sha256, size_bytes, status, reporter_trust, reporter_identity, feedback_loop)
     VALUES ($1, 'smtp', now(), $2, $2, $3, $4, 'queued', $5, $6, $7)`,
    [id, reporter, sha, raw.length, trust.trust, trust.identity, trust.feedbackLoop],
  );
  return id;
}

/** One submission's reports stored and scored in one transaction, as the worker does. */
export async function report(
  ds: DataSource,
  ctx: ReputationContext,
  reporter: string,
  reports: AnalyzedReport[],
  submissionId?: string,
  trust?: ChannelTrust,
): Promise<ReputationOutcome & { submissionId: string }> {
  const id = submissionId ?? (await insertSubmission(ds, reporter, undefined, trust));
  const [row]: { id: string; channel: string; received_at: Date; reporter: string | null; reporter_trust: ReporterTrust }[] = await ds.query(
    `SELECT id, channel, received_at, reporter, reporter_trust FROM submissions WHERE id = $1`,
    [id],
  );
  const out = await ds.transaction(async (em) => {
    const inserted = await storeReports(em, row!, 'forward', reports);
    return applyReputation(em, inserted, reports, ctx);
  });
  return { ...out, submissionId: id };
}
