import { addressIdentity } from '../identity/normalize-address.ts';
import type { ReporterTrust } from './reporter-trust.ts';

/**
 * What an intake channel vouches for, decided once at intake and written with the submission
 * (docs/reputation.md, "Reporter trust"). Only the channel counts: nothing inside the reported
 * message — its Received lines, its wrapper From, its ARF fields — makes a report more trusted.
 */
export interface ChannelTrust {
  trust: ReporterTrust;
  /**
   * Who vouches, as a distinct reporter: `feed:<loop>`, `key:<key id>`, `platform-relay`, `trap`, each
   * followed by `/<end user>` when the channel supplies the end user's address; a verified
   * reporter's normalised address. Null for anonymous reports (they count for nothing).
   */
  identity: string | null;
  /** The feedback loop the channel is bound to (its ARF Source-IP may anchor attribution). */
  feedbackLoop: string | null;
}

export const ANONYMOUS: ChannelTrust = Object.freeze({ trust: 'anonymous', identity: null, feedbackLoop: null });

/** `base/<end user>` when the channel names the end user (normalised as an identity), else `base`. */
function withEndUser(base: string, endUser: string | null | undefined): string {
  const user = endUser ? addressIdentity(endUser) : null;
  return user ? `${base}/${user}` : base;
}

export interface KeyForTrust {
  id: string;
  trust: ReporterTrust;
  feedbackLoop: string | null;
}

/**
 * The HTTP intake: the key's trust. A key bound to a feedback loop is that feed (every key of
 * one loop is one identity); `endUser` is the `X-Reporter` the caller sends — the platform user who
 * pressed "report", or the feed's subscriber — which the key vouches for.
 */
export function keyTrust(key: KeyForTrust, endUser: string | null | undefined): ChannelTrust {
  if (key.feedbackLoop) return { trust: 'feed', identity: withEndUser(`feed:${key.feedbackLoop}`, endUser), feedbackLoop: key.feedbackLoop };
  return { trust: key.trust, identity: withEndUser(`key:${key.id}`, endUser), feedbackLoop: null };
}

export interface SmtpTrustInput {
  clientIp: string;
  /** The envelope sender (`MAIL FROM`), '' or null for `<>`. */
  mailFrom: string | null;
  /** The identity of a live personal reporting address among the recipients. */
  personalIdentity: string | null;
}

export interface SmtpTrustNetworks {
  /** Each feedback loop's `sourceNetworks`. */
  feedbackLoopSources: readonly { name: string; set: { has(ip: string): boolean } }[];
  platformNetworks: { has(ip: string): boolean };
}

/**
 * The SMTP front door, strongest first: a client inside a feedback loop's `sourceNetworks` is that
 * feed (its envelope sender is the feed's own address, not a subscriber, so the feed is the whole
 * identity); a client inside `platform.networks` is the platform relaying its user's report (the
 * envelope sender is that user, authenticated by the platform); a live personal address is its
 * verified reporter; anything else is anonymous — the envelope sender of a stranger proves nothing.
 */
export function smtpTrust(input: SmtpTrustInput, networks: SmtpTrustNetworks): ChannelTrust {
  const loop = networks.feedbackLoopSources.find((l) => l.set.has(input.clientIp));
  if (loop) return { trust: 'feed', identity: `feed:${loop.name}`, feedbackLoop: loop.name };
  if (networks.platformNetworks.has(input.clientIp)) return { trust: 'platform', identity: withEndUser('platform-relay', input.mailFrom), feedbackLoop: null };
  if (input.personalIdentity) return { trust: 'verified', identity: input.personalIdentity, feedbackLoop: null };
  return ANONYMOUS;
}

/**
 * A spam trap of the operator's own (TRAP_ADDRESSES): the front door itself received the mail, so the
 * connecting client is known first-hand — `feed` trust, as a bound feedback loop. All traps are ONE
 * identity, one witness: trap addresses are meant to be harvested, so anyone can mail three of them
 * from a big provider's account, and three "different reporters" would list that provider's shared
 * outbound server. Traps score a client (1, ½, ¼, … at most 2); listing also takes other reporters
 * (docs/reputation.md, "Spam-trap hits").
 */
export const TRAP_IDENTITY = 'trap';

export function trapTrust(): ChannelTrust {
  return { trust: 'feed', identity: TRAP_IDENTITY, feedbackLoop: null };
}

/** A reporter who proved an address (a confirmed web report, a personal address's owner): the address is the identity. */
export function verifiedIdentity(email: string): string | null {
  return addressIdentity(email);
}
