import type { AnalyzedReport, Hop } from '../types.ts';
import type { HeaderField, ReportedMessage } from '../message/types.ts';
import { dateOf, messageIdOf, subjectOf } from '../message/message-fields.ts';
import { parseReceived } from '../received/parse-received.ts';
import { normalizeIp } from '../net/index.ts';
import type { CompiledTenancy } from '../../tenancy/compiled-tenancy.ts';
import { domainOf, firstAddress } from './addresses.ts';
import { attributeTenant } from './attribute-tenant.ts';
import { EvidenceTrail, quote } from './evidence.ts';
import type { SignatureCheck } from './verify-signatures.ts';
import { classifyAddress, walkChain, type WalkResult } from './walk-chain.ts';

/**
 * One reported message → one attributed report: parse its Received chain (bounded), decide the
 * feedback-loop Source-IP, walk, read the originating-IP header when the walk ends inside the
 * platform, attribute the tenant. Synchronous and pure; the signature check is done beforehand.
 */

/** Received headers walked per message; more are recorded in the evidence and ignored. */
export const MAX_HOPS = 100;
/** Characters of one Received value kept in `receivedChain`. */
const MAX_CHAIN_VALUE = 2000;

export interface MessageContext {
  tenancy: CompiledTenancy;
  /** The reporter's own address (the wrapper's From), when the message came inside a wrapper. A claim, not an identity. */
  reporter: string | null;
  /** The feedback loop the intake channel was bound to (a feed key, a feed's source network), or null. */
  feedbackLoop?: string | null;
  /** Extraction notes that concern the whole submission (limits hit). */
  submissionNotes: readonly string[];
}

function parseHop(value: string, index: number): Hop {
  try {
    return parseReceived(value, index);
  } catch {
    // parseReceived is meant to be total; if it is not, the hop is unusable rather than the report.
    return { index, ip: null, rdns: null, helo: null, by: null, protocol: null, id: null, auth: null, for: null, date: null, format: 'unparsed', raw: value.slice(0, MAX_CHAIN_VALUE) };
  }
}

/** The first IP in a header value: `[198.51.100.23]`, `TenantId=…;Ip=[2001:db8::1]`, `198.51.100.23 (client)`. */
export function firstIpIn(value: string): string | null {
  for (const token of value.slice(0, 1000).split(/[\s[\]();,=<>"]+/)) {
    if (token.length < 2) continue;
    const ip = normalizeIp(token);
    if (ip) return ip;
  }
  return null;
}

/**
 * How many leading header fields are trusted: those down to and including the Received field of the
 * last trusted hop (a trusted receiver wrote it). `trustedHops` null = the walk was not ended by an
 * outside party, so the walked chain is trusted; fields below a chain cut by the hop limit are not.
 */
function trustedFieldCount(headers: readonly HeaderField[], trustedHops: number | null, hopsWalked: number, totalReceived: number): number {
  if (trustedHops === null && hopsWalked === totalReceived) return headers.length;
  const lastTrusted = (trustedHops ?? hopsWalked) - 1;
  if (lastTrusted < 0) return 0;
  let seen = -1;
  for (let i = 0; i < headers.length; i++) {
    if (headers[i]!.name === 'received' && ++seen === lastTrusted) return i + 1;
  }
  return headers.length;
}

/**
 * The first public address named by a `platform.originatingIpHeaders` field among `trusted` (file order).
 * Rule 4 of the contract (the walk ended inside the platform), and the webmail case (every hop a trusted
 * relay: the provider's webmail names its client there, as SpamAssassin reads it).
 */
function originatingFromHeaders(hop: number | null, rule: string, trusted: readonly HeaderField[], ctx: MessageContext, ev: EvidenceTrail): string | null {
  const names = ctx.tenancy.originatingIpHeaders;
  for (const name of names) {
    const field = trusted.find((h) => h.name === name);
    if (!field) continue;
    const ip = firstIpIn(field.value);
    const cls = classifyAddress(ip, ctx.tenancy);
    if (ip && cls === 'public') {
      ev.add(hop, rule, `${field.name}: ${quote(field.value)} names ${ip}: originatingIp`);
      return ip;
    }
    ev.add(hop, rule, `${field.name}: ${quote(field.value)} names no public address (${cls}): ignored`);
  }
  ev.add(hop, rule, names.length ? 'no originating-IP header present: originatingIp stays null' : 'no originatingIpHeaders configured: originatingIp stays null');
  return null;
}

/**
 * Every hop was a trusted relay (the recipient's own provider handled the message from submission on, e.g.
 * its webmail): the provider's originating-IP header names the client, an outside sender. Else the walk stands.
 */
function webmailClient(walk: WalkResult, trusted: readonly HeaderField[], ctx: MessageContext, ev: EvidenceTrail): WalkResult {
  const ip = originatingFromHeaders(null, 'trusted.originating-header', trusted, ctx, ev);
  if (!ip) return walk;
  ev.add(null, 'trusted.originating-header', `every hop is a trusted relay: the client ${ip} submitted through it (foreign, no relay)`);
  return { ...walk, direction: 'foreign', originatingIp: ip };
}

/**
 * Decides whether an ARF Source-IP anchors the walk: only when the report came over a channel bound
 * to a configured feedback loop. A wrapper From naming a loop is written by whoever sent the report,
 * so it is a claim: the Source-IP is then evidence only.
 */
function vouchedSourceIp(msg: ReportedMessage, ctx: MessageContext, ev: EvidenceTrail): string | null {
  const raw = msg.arf?.sourceIp;
  if (!raw) return null;
  const ip = normalizeIp(raw);
  const bound = ctx.feedbackLoop ?? null;
  if (bound === null || !ctx.tenancy.feedbackLoopNames.has(bound)) {
    const claimed = ctx.reporter ? ctx.tenancy.feedbackLoopByFrom.get(ctx.reporter.toLowerCase()) : undefined;
    const why = bound !== null
      ? `the channel is bound to ${quote(bound)}, which is not a configured feedback loop`
      : claimed !== undefined
        ? `the From ${quote(ctx.reporter)} names the feedback loop ${quote(claimed)}, but the report did not come over a channel bound to it`
        : `the report (from ${quote(ctx.reporter)}) did not come over a channel bound to a feedback loop`;
    ev.add(null, 'fbl.unconfigured', `Source-IP ${quote(raw)}: ${why}: evidence only`);
    return null;
  }
  const cls = classifyAddress(ip, ctx.tenancy);
  if (!ip || cls === 'internal' || cls === 'none') {
    ev.add(null, 'fbl.source-ip', `Source-IP ${quote(raw)} from feedback loop ${quote(bound)} is not a public address: ignored`);
    return null;
  }
  ev.add(null, 'fbl.configured', `Source-IP ${ip} comes from the feedback loop ${quote(bound)} over a channel bound to it: used as relayIp`);
  return ip;
}

export function attributeMessage(msg: ReportedMessage, ctx: MessageContext, sig: SignatureCheck | null): AnalyzedReport {
  const ev = new EvidenceTrail();
  for (const note of ctx.submissionNotes) ev.add(null, 'extract.limit', note);
  for (const note of msg.notes) ev.add(null, 'extract', note);

  const headers = msg.headers;
  const received = headers.filter((h) => h.name === 'received');
  if (received.length > MAX_HOPS) ev.add(null, 'limit', `${received.length} Received headers; only the top ${MAX_HOPS} are walked`);
  const walked = received.slice(0, MAX_HOPS);
  const hops = walked.map((h, i) => parseHop(h.value, i));

  let walk = walkChain(hops, ctx.tenancy, ev, { vouchedIp: vouchedSourceIp(msg, ctx, ev) });
  const trustedCount = trustedFieldCount(headers, walk.trustedHops, hops.length, received.length);
  if (walk.endedInsidePlatform) {
    walk = { ...walk, originatingIp: originatingFromHeaders(walk.decidingHop, 'outbound.originating-header', headers.slice(0, trustedCount), ctx, ev) };
  } else if (walk.onlyTrustedRelays) {
    walk = webmailClient(walk, headers.slice(0, trustedCount), ctx, ev);
  }

  for (const note of sig?.notes ?? []) ev.add(null, 'signature', note);
  // The header firewall vouches only for mail the platform handled: sent (a platform egress in the trusted
  // part of the chain, or a vouched feedback-loop Source-IP) or received; never for a foreign sender's copies.
  const firewall = ctx.tenancy.headerFirewall && (walk.viaPlatform || walk.receivedByPlatform);
  const tenant = attributeTenant(
    {
      direction: walk.direction, relayIp: walk.relayIp, headers, trustedFieldCount: trustedCount, verified: sig?.verified ?? [],
      receivedByPlatform: walk.receivedByPlatform, firewall,
    },
    ctx.tenancy,
    ev,
  );

  const from = firstAddress(headers.find((h) => h.name === 'from')?.value);
  const fromDomain = domainOf(from);
  return {
    subject: subjectOf(headers),
    from,
    fromDomain,
    messageId: messageIdOf(headers),
    date: dateOf(headers),
    receivedChain: walked.map((h) => h.value.slice(0, MAX_CHAIN_VALUE)),
    hops,
    direction: walk.direction,
    relayIp: walk.relayIp,
    originatingIp: walk.originatingIp,
    viaPlatform: walk.viaPlatform,
    tenant: tenant.tenant,
    tenantConfidence: tenant.tenantConfidence,
    recipientTenant: tenant.recipientTenant,
    conflict: tenant.conflict,
    decidingHop: walk.decidingHop,
    feedbackType: msg.arf?.feedbackType ?? null,
    arf: msg.arf,
    sendingDomain: tenant.dkimDomain ?? fromDomain,
    reporter: ctx.reporter,
    evidence: ev.finish(),
  };
}
