import type { Config } from '../../shared/config/config.schema.ts';
import { decayedScore, timeBelow } from '../../shared/reputation/decay.ts';
import type { CachedIp } from '../../shared/reputation/store/ip-cache.ts';
import { delistUrl } from './public-url.ts';

export interface LookupResult {
  ip: string;
  listed: boolean;
  score: number;
  reasons: string[];
  listedAt: string | null;
  /**
   * When the listing expires by itself if no new report arrives (the expiry job acts on it); for a
   * manual listing its `expiresAt`, null when it has none (it stays until an analyst removes it).
   */
  expiresAt: string | null;
  delistUrl: string | null;
  /** A ready SMTP reply line for an MTA that rejects listed IPs; null when not listed. */
  smtpResponse: string | null;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Builds the lookup answer from the Redis copy alone (no Postgres on this path). */
export function lookupView(config: Config, ip: string, entry: CachedIp | null, now: number): LookupResult {
  const score = entry ? round(decayedScore(entry.s, entry.u, now, config.REPUTATION_HALF_LIFE)) : 0;
  if (!entry?.l) {
    return { ip, listed: false, score, reasons: [], listedAt: null, expiresAt: null, delistUrl: null, smtpResponse: null };
  }
  const url = delistUrl(config, ip);
  const expires = entry.l.m ? (entry.l.x ?? null) : Math.max(now, timeBelow(entry.s, entry.u, config.DELIST_THRESHOLD, config.REPUTATION_HALF_LIFE));
  return {
    ip,
    listed: true,
    score,
    reasons: entry.l.r,
    listedAt: new Date(entry.l.at).toISOString(),
    expiresAt: expires === null ? null : new Date(expires).toISOString(),
    delistUrl: url,
    smtpResponse: `550 5.7.606 Access denied, banned sending IP [${ip}]. To request removal, visit ${url}`,
  };
}
