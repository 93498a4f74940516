import type { Analysis, AnalyzedReport } from './types.ts';
import type { Extraction, ReportedMessage } from './message/types.ts';
import type { CompiledTenancy } from '../tenancy/compiled-tenancy.ts';
import { extractMessages } from './message/extract-messages.ts';
import { readHeaderSection } from './message/header-section.ts';
import { DEFAULT_EXTRACTION_LIMITS } from './message/limits.ts';
import { normalizeIp } from './net/index.ts';
import { attributeMessage } from './attribute/attribute-message.ts';
import { classifyAddress } from './attribute/walk-chain.ts';
import { EvidenceTrail, MAX_EVIDENCE_LINES } from './attribute/evidence.ts';
import { hasPlatformSignature, verifyPlatformSignatures } from './attribute/verify-signatures.ts';
import { addContentFeatures } from '../campaigns/add-content-features.ts';

/**
 * A spam-trap hit (docs/intake.md, "Spam traps"): mail our own SMTP front door received for one of
 * the TRAP_ADDRESSES. It is not a forwarded report: nobody reported it, the client that connected to
 * us sent it. So the origin is that client, as our server saw it — never an address read from the
 * message's Received lines, which the sender wrote (a spammer would name someone else there).
 */
export interface TrapContext {
  /** The connecting client's address, as the front door's socket saw it (`submissions.client_ip`). */
  clientIp: string;
}

/** Marks the lines of the ordinary attribution kept for the analyst: not what decided the origin. */
const READ_ONLY = '(the message\'s own chain, not used for the origin) ';

/**
 * The analysis of a trap hit. The whole message is the spam, whatever its structure claims (a
 * spammer's message may look like a forward or an ARF report: nothing is unwrapped). Bounces and
 * automatic replies give no report: a bounce to a trap is backscatter from a server the trap address
 * was forged on as a sender, not mail that server chose to send to the trap.
 */
export async function analyzeTrapHit(raw: Buffer, tenancy: CompiledTenancy, trap: TrapContext, opts: { contentFeatures?: boolean } = {}): Promise<Analysis> {
  const extraction = extractMessages(raw);
  if (extraction.kind === 'dsn' || extraction.kind === 'auto-reply') {
    return {
      kind: extraction.kind,
      reports: [],
      reason: `trap: ${extraction.reason ?? extraction.kind} — backscatter (the trap address was forged as a sender), not a trap hit`,
      wrapper: null,
    };
  }
  const section = readHeaderSection(raw, { headerBytes: DEFAULT_EXTRACTION_LIMITS.headerBytes, headerFields: DEFAULT_EXTRACTION_LIMITS.headerFields });
  const message: ReportedMessage = { source: 'self', headers: section.headers, raw, arf: null, notes: section.truncated };
  const signature = tenancy.signingDomains.size > 0 && hasPlatformSignature(message.headers, tenancy)
    ? await verifyPlatformSignatures(raw, message.headers, tenancy, null)
    : null;
  // The ordinary attribution still gives the message's fields, its parsed hops and — only when the
  // client is the platform's relay — the tenant from the headers the platform wrote.
  const base = attributeMessage(message, { tenancy, reporter: null, feedbackLoop: null, submissionNotes: [] }, signature);
  const report = trapReport(base, trap, tenancy);
  const analysis: Analysis = { kind: 'direct', reports: [report], reason: null, wrapper: null };
  const self: Extraction = { kind: 'direct', messages: [message], reason: null, wrapper: null, truncated: [] };
  if (opts.contentFeatures !== false) addContentFeatures(analysis, self, raw);
  return analysis;
}

/**
 * The trap rule over an ordinary attribution: relay and origin are the connecting client. A client
 * inside `platform.networks` is the platform relaying a tenant's mail: `viaPlatform`, so reputation
 * scores the address without ever listing it, and the tenant (attributed from the platform-written
 * headers above the walk's end, as for any outbound report) is what gets flagged. Pure.
 */
export function trapReport(base: AnalyzedReport, trap: TrapContext, tenancy: CompiledTenancy): AnalyzedReport {
  const ip = normalizeIp(trap.clientIp) ?? trap.clientIp;
  // platform.networks first: an operator who names an address there (its own relays, even on a
  // private range) says what it is; classifyAddress would call a private one internal.
  const cls = tenancy.platformNetworks.has(ip) ? 'platform' : classifyAddress(ip, tenancy);
  const ev = new EvidenceTrail();
  ev.add(0, 'trap.hit', `mail for a spam trap, judged by the envelope recipient our front door accepted: the connecting client ${ip} is the relay and the origin`);
  const viaPlatform = cls === 'platform' && base.direction === 'outbound';
  if (cls === 'platform') {
    ev.add(0, 'trap.platform', viaPlatform
      ? `${ip} is inside platform.networks: the platform relayed a tenant's mail to the trap (scored, never listed; the tenant is attributed as for outbound mail)`
      : `${ip} is inside platform.networks but the top hop does not read as outbound mail: scored as a platform address, no tenant`);
  } else if (cls === 'internal') {
    ev.add(0, 'trap.internal', `${ip} is an internal address: if another MTA of ours hands trap mail to the front door, it is blamed for the hit; route the trap domains to the front door directly`);
  } else if (cls === 'trusted-relay') {
    ev.add(0, 'trap.trusted-relay', `${ip} is a trusted relay: attributed to it all the same (the client sent the mail to the trap)`);
  }
  const lines = [...ev.finish(), ...base.evidence.map((l) => READ_ONLY + l)];
  return {
    ...base,
    direction: cls === 'platform' ? 'outbound' : 'foreign',
    relayIp: ip,
    originatingIp: ip,
    viaPlatform: cls === 'platform',
    tenant: viaPlatform ? base.tenant : null,
    tenantConfidence: viaPlatform ? base.tenantConfidence : null,
    recipientTenant: null,
    conflict: viaPlatform ? base.conflict : false,
    // Our own Received header is always the top one: the front door stamps it on every message.
    decidingHop: base.hops.length > 0 ? 0 : null,
    feedbackType: null,
    arf: null,
    reporter: null,
    evidence: lines.length > MAX_EVIDENCE_LINES ? [...lines.slice(0, MAX_EVIDENCE_LINES - 1), `- [limit] ${lines.length - MAX_EVIDENCE_LINES + 1} further evidence lines left out`] : lines,
  };
}
