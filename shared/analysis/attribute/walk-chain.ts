import type { Direction, Hop } from '../types.ts';
import type { CompiledTenancy } from '../../tenancy/compiled-tenancy.ts';
import { hostMatchesSuffix, isInternal } from '../net/index.ts';
import { quote, type EvidenceTrail } from './evidence.ts';

/**
 * The chain walk of the attribution contract (ARCHITECTURE.md, docs/attribution.md): from the top
 * (newest) Received hop down, using each hop's connecting address only, decide the direction, the
 * relay and originating IPs, and the hop below which nothing the message says is trusted.
 */

export type AddressClass = 'none' | 'internal' | 'trusted-relay' | 'platform' | 'public';

export interface WalkOptions {
  /**
   * An ARF Source-IP vouched for by a configured feedback-loop provider. It anchors the walk: hops
   * above the hop it connected from are the provider's own handling.
   */
  vouchedIp?: string | null;
}

export interface WalkResult {
  direction: Direction;
  relayIp: string | null;
  originatingIp: string | null;
  viaPlatform: boolean;
  /** Index of the hop that ended the walk, or null (no hop decided, or the vouched Source-IP did). */
  decidingHop: number | null;
  /**
   * How many of the chain's hops are trusted: hops (and header fields) below the Received field of
   * hop `trustedHops - 1` were written by whoever the walk stopped at. Null when no outside party
   * ended the walk (inside the platform, or no address at all): the whole walked chain is trusted.
   */
  trustedHops: number | null;
  /** Rule 4: the walk ended inside the platform; the originating IP comes from a header, if any. */
  endedInsidePlatform: boolean;
  /**
   * The platform received this message (the inbound rule matched at the top): `inbound` mail, and mail
   * from one platform user to another. Its tenant headers name the recipient's tenant, never the sender's.
   */
  receivedByPlatform: boolean;
  /** Every addressed hop was a trusted relay (the recipient's own provider, e.g. its webmail). */
  onlyTrustedRelays: boolean;
}

export function classifyAddress(ip: string | null, t: CompiledTenancy): AddressClass {
  if (!ip) return 'none';
  if (isInternal(ip)) return 'internal';
  // Platform before trusted relay: a platform range listed as a relay too is still the platform.
  if (t.platformNetworks.has(ip)) return 'platform';
  if (t.trustedRelays.has(ip)) return 'trusted-relay';
  return 'public';
}

const SKIP_WHY: Record<'none' | 'internal' | 'trusted-relay', string> = {
  none: 'no connecting address recorded',
  internal: 'internal address',
  'trusted-relay': 'trusted relay',
};

/** The flags most results share; each return spells out the rest. */
const NOT_DECIDED = { endedInsidePlatform: false, receivedByPlatform: false, onlyTrustedRelays: false } as const;

/** Walks `hops` (top first). Appends one evidence line per hop looked at. */
export function walkChain(hops: readonly Hop[], t: CompiledTenancy, ev: EvidenceTrail, opts: WalkOptions = {}): WalkResult {
  const cls = hops.map((h) => classifyAddress(h.ip, t));
  let start = 0;

  if (opts.vouchedIp) {
    const anchored = anchorOnVouchedIp(hops, cls, t, ev, opts.vouchedIp);
    if (anchored.result) return anchored.result;
    start = anchored.start;
  } else {
    // The recipient's own handling: leading hops with no address, internal or trusted-relay addresses.
    while (start < hops.length && isSkippable(cls[start]!)) {
      ev.add(start, 'skip.leading', `${SKIP_WHY[cls[start] as keyof typeof SKIP_WHY]} ${quote(hops[start]!.ip)} (recipient's own handling)`);
      start++;
    }
  }

  if (start >= hops.length) {
    ev.add(null, 'unknown', hops.length ? 'no public or platform address anywhere in the chain' : 'no Received headers');
    const onlyTrustedRelays = !opts.vouchedIp && cls.includes('trusted-relay');
    return { ...NOT_DECIDED, direction: 'unknown', relayIp: null, originatingIp: null, viaPlatform: false, decidingHop: null, trustedHops: null, onlyTrustedRelays };
  }

  const first = hops[start]!;
  if (cls[start] === 'platform' && !opts.vouchedIp && first.by && hostMatchesSuffix(first.by, t.platformHostnames)) {
    ev.add(start, 'inbound', `${quote(first.ip)} is a platform address and ${quote(first.by)} is a platform host: the platform received this message`);
    return walkInbound(hops, cls, start + 1, ev) ?? walkPlatformToPlatform(hops, cls, start, t, ev);
  }
  return walkOutbound(hops, cls, start, ev);
}

function isSkippable(c: AddressClass): boolean {
  return c === 'none' || c === 'internal' || c === 'trusted-relay';
}

/**
 * Inbound: below the platform's own hops, the first public address is the outside sender that
 * delivered the message. Returns null when there is none (intra-platform mail: see walkOutbound).
 */
function walkInbound(hops: readonly Hop[], cls: AddressClass[], from: number, ev: EvidenceTrail): WalkResult | null {
  for (let i = from; i < hops.length; i++) {
    const c = cls[i]!;
    if (c === 'public') {
      ev.add(i, 'inbound.sender', `${quote(hops[i]!.ip)} is the first public non-platform address: relayIp and originatingIp (the outside sender)`);
      return { ...NOT_DECIDED, direction: 'inbound', relayIp: hops[i]!.ip, originatingIp: hops[i]!.ip, viaPlatform: false, decidingHop: i, trustedHops: i + 1, receivedByPlatform: true };
    }
    ev.add(i, 'inbound.skip', `${c === 'platform' ? 'platform address' : SKIP_WHY[c]} ${quote(hops[i]!.ip)}`);
  }
  ev.add(null, 'inbound.none', 'no public address below the platform hops: a platform user sent this message to a platform user');
  return null;
}

/**
 * Platform-to-platform mail: outbound (the platform sent it, a platform tenant is the sender), received by
 * the platform. The relay is where the sending side handed the message to the receiving side: the first hop
 * from an egress address (`platform.egressNetworks`), not the receiving side's own front end; without egress
 * ranges configured, the first platform address. The walk ends inside the platform (rule 4).
 */
function walkPlatformToPlatform(hops: readonly Hop[], cls: AddressClass[], from: number, t: CompiledTenancy, ev: EvidenceTrail): WalkResult {
  let first: number | null = null;
  let egress: number | null = null;
  let last = from;
  for (let i = from; i < hops.length; i++) {
    if (cls[i] !== 'platform') continue;
    first ??= i;
    last = i;
    if (egress === null && t.egressNetworks.has(hops[i]!.ip!)) egress = i;
  }
  const relay = egress ?? first ?? from;
  const why = egress !== null
    ? 'is in platform.egressNetworks: the sending side handed the message to the receiving side here (relayIp, viaPlatform)'
    : `is the first platform address (relayIp, viaPlatform); ${t.hasEgressNetworks ? 'no hop is from platform.egressNetworks' : 'platform.egressNetworks is not configured'}`;
  ev.add(relay, 'platform-to-platform.egress', `${quote(hops[relay]!.ip)} ${why}`);
  ev.add(last, 'outbound.inside', 'the walk ended inside the platform with no public address below (MAPI/HTTPS submission)');
  return { ...NOT_DECIDED, direction: 'outbound', relayIp: hops[relay]!.ip, originatingIp: null, viaPlatform: true, decidingHop: last, trustedHops: null, endedInsidePlatform: true, receivedByPlatform: true };
}

function walkOutbound(hops: readonly Hop[], cls: AddressClass[], from: number, ev: EvidenceTrail): WalkResult {
  let relayIp: string | null = null;
  let lastPlatformHop: number | null = null;
  for (let i = from; i < hops.length; i++) {
    const c = cls[i]!;
    const ip = hops[i]!.ip;
    if (isSkippable(c)) {
      ev.add(i, 'continue', `${SKIP_WHY[c as keyof typeof SKIP_WHY]} ${quote(ip)}`);
      continue;
    }
    if (c === 'platform') {
      lastPlatformHop = i;
      if (relayIp === null) {
        relayIp = ip;
        ev.add(i, 'outbound.egress', `${quote(ip)} is a platform address: the platform delivered this message outward (relayIp, viaPlatform)`);
      } else {
        ev.add(i, 'outbound.platform-hop', `${quote(ip)} is a platform address: the platform's own handling`);
      }
      continue;
    }
    // The first public, non-platform address ends the walk.
    if (relayIp !== null) {
      ev.add(i, 'outbound.origin', `${quote(ip)} is the first public non-platform address below the platform: originatingIp (the client that submitted to the platform)`);
      ev.add(i, 'untrusted-below', 'nothing below this hop is trusted');
      return { ...NOT_DECIDED, direction: 'outbound', relayIp, originatingIp: ip, viaPlatform: true, decidingHop: i, trustedHops: i + 1 };
    }
    ev.add(i, 'foreign.origin', `${quote(ip)} is the first public non-platform address and no platform hop is above it: relayIp and originatingIp (an outside sender)`);
    ev.add(i, 'untrusted-below', 'nothing below this hop is trusted');
    return { ...NOT_DECIDED, direction: 'foreign', relayIp: ip, originatingIp: ip, viaPlatform: false, decidingHop: i, trustedHops: i + 1 };
  }
  // Only reachable with a platform hop: the walk starts at a platform or public address.
  ev.add(lastPlatformHop, 'outbound.inside', 'the walk ended inside the platform with no public address below (MAPI/HTTPS submission)');
  return { ...NOT_DECIDED, direction: 'outbound', relayIp, originatingIp: null, viaPlatform: true, decidingHop: lastPlatformHop, trustedHops: null, endedInsidePlatform: true };
}

/**
 * A configured feedback-loop provider says `vouched` delivered the message to it. Hops above the one
 * that recorded that address are the provider's own; the walk continues from there. When the chain
 * does not show the address, the Source-IP alone decides and nothing in the message is trusted.
 */
function anchorOnVouchedIp(
  hops: readonly Hop[], cls: AddressClass[], t: CompiledTenancy, ev: EvidenceTrail, vouched: string,
): { start: number; result?: undefined } | { start: number; result: WalkResult } {
  const k = hops.findIndex((h) => h.ip === vouched);
  if (k >= 0) {
    if (k > 0) ev.add(null, 'fbl.anchor', `hops 0–${k - 1} are the feedback-loop provider's own handling`);
    ev.add(k, 'fbl.anchor', `the configured feedback-loop provider's Source-IP ${quote(vouched)} connected here; the walk starts at this hop`);
    return { start: k };
  }
  const c = classifyAddress(vouched, t);
  if (c === 'platform') {
    ev.add(null, 'fbl.source-ip', `Source-IP ${quote(vouched)} is a platform address (relayIp, viaPlatform); the chain does not show it, so no hop is trusted`);
    return { start: hops.length, result: { ...NOT_DECIDED, direction: 'outbound', relayIp: vouched, originatingIp: null, viaPlatform: true, decidingHop: null, trustedHops: 0 } };
  }
  ev.add(null, 'fbl.source-ip', `Source-IP ${quote(vouched)} is a public non-platform address: relayIp and originatingIp; the chain does not show it, so no hop is trusted`);
  return { start: hops.length, result: { ...NOT_DECIDED, direction: 'foreign', relayIp: vouched, originatingIp: vouched, viaPlatform: false, decidingHop: null, trustedHops: 0 } };
}
