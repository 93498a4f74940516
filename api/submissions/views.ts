import type { Report, Submission } from '../../shared/db/entities/index.ts';

/** The public JSON shape of a submission (the raw bytes are served separately). */
export function submissionView(s: Submission) {
  return {
    id: s.id,
    channel: s.channel,
    status: s.status,
    receivedAt: s.receivedAt.toISOString(),
    processedAt: s.processedAt?.toISOString() ?? null,
    reporter: s.reporter,
    envelopeFrom: s.envelopeFrom,
    envelopeTo: s.envelopeTo,
    clientIp: s.clientIp,
    category: s.category,
    description: s.description,
    sizeBytes: s.sizeBytes,
    rawSha256: s.rawSha256,
    error: s.error,
    reporterTrust: s.reporterTrust,
    feedbackLoop: s.feedbackLoop,
  };
}

/** The public JSON shape of a report. */
export function reportView(r: Report) {
  return {
    id: r.id,
    submissionId: r.submissionId,
    index: r.idx,
    receivedAt: r.receivedAt.toISOString(),
    channel: r.channel,
    reporter: r.reporter,
    kind: r.kind,
    subject: r.subject,
    from: r.fromAddress,
    fromDomain: r.fromDomain,
    messageId: r.messageId,
    date: r.sentAt?.toISOString() ?? null,
    direction: r.direction,
    relayIp: r.relayIp,
    originatingIp: r.originatingIp,
    viaPlatform: r.viaPlatform,
    tenant: r.tenantId,
    recipientTenant: r.recipientTenantId,
    tenantConfidence: r.tenantConfidence,
    conflict: r.conflict,
    feedbackType: r.feedbackType,
    reporterTrust: r.reporterTrust,
    arf: r.arf,
    receivedChain: r.receivedChain,
    hops: r.hops,
    decidingHop: r.decidingHop,
    evidence: r.evidence,
    campaignId: r.campaignId,
  };
}
