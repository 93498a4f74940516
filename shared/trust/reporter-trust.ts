import { z } from 'zod';

/**
 * How much a report's reporter is trusted, decided at intake from the channel (docs/reputation.md,
 * "Reporter trust"). Lowest first: the order is the order of `trustAtLeast`.
 * - `anonymous`: anyone (an SMTP forward from an unknown sender, an unconfirmed web report);
 * - `verified`: a reporter who proved the address (a confirmed web report, a personal reporting address);
 * - `platform`: the operator's own systems (an intake key, the platform's own relays);
 * - `feed`: a feedback loop whose report came over a channel bound to it.
 */
export const TRUST_LEVELS = ['anonymous', 'verified', 'platform', 'feed'] as const;
export type ReporterTrust = (typeof TRUST_LEVELS)[number];

export const reporterTrustSchema = z.enum(TRUST_LEVELS);

export function isReporterTrust(v: unknown): v is ReporterTrust {
  return typeof v === 'string' && (TRUST_LEVELS as readonly string[]).includes(v);
}

/** True when `trust` is `min` or stronger. */
export function trustAtLeast(trust: ReporterTrust, min: ReporterTrust): boolean {
  return TRUST_LEVELS.indexOf(trust) >= TRUST_LEVELS.indexOf(min);
}
