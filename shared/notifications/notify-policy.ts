import { z } from 'zod';
import type { TenantConfidence } from '../analysis/types.ts';
import { TRUST_LEVELS, trustAtLeast, type ReporterTrust } from '../trust/reporter-trust.ts';

/** Weakest to strongest, as in the attribution contract. */
export const CONFIDENCE_LEVELS = ['low', 'medium', 'high', 'verified'] as const satisfies readonly TenantConfidence[];

const email = z.string().trim().toLowerCase().pipe(z.email('must be an email address'));

/**
 * A period such as `15m`, `1h`, `1d`, parsed to milliseconds; milliseconds are accepted too, since
 * the imported tenancy is stored parsed and validated again when read back.
 */
const period = z.number().int().min(60_000, 'at least 1m').or(z.string().trim().regex(/^\d+(m|h|d)$/, 'use a period like 15m, 1h or 1d').transform((s) => {
  const n = Number(s.slice(0, -1));
  return n * { m: 60_000, h: 3_600_000, d: 86_400_000 }[s.slice(-1) as 'm' | 'h' | 'd'];
}).pipe(z.number().min(60_000, 'at least 1m')));

/**
 * `tenants[].notify` in the tenancy file (docs/notifications.md). Absent means `off`: a tenant is
 * never mailed unless the operator asked for it. `to` defaults to the tenant's `abuseContact`.
 */
export const notifySchema = z.strictObject({
  mode: z.enum(['arf', 'digest', 'off']).default('off'),
  to: z.array(email).max(10).default([]),
  minConfidence: z.enum(CONFIDENCE_LEVELS).default('high'),
  minTrust: z.enum(TRUST_LEVELS).default('verified'),
  digestEvery: period.default(3_600_000),
});

export type NotifyPolicy = z.output<typeof notifySchema>;

export const NOTIFY_OFF: NotifyPolicy = { mode: 'off', to: [], minConfidence: 'high', minTrust: 'verified', digestEvery: 3_600_000 };

/** What the threshold decision reads of a report (the `reports` row). */
export interface NotifiableReport {
  tenantConfidence: string | null;
  reporterTrust: string;
}

export type NotifyDecision = { notify: true } | { notify: false; reason: string };

/**
 * The gate every automatic notification passes. Below the thresholds nothing is ever sent: an
 * anonymous stranger must not be able to make us mail a tenant (we would be the spam source).
 */
export function shouldNotify(report: NotifiableReport, policy: NotifyPolicy): NotifyDecision {
  if (policy.mode === 'off') return { notify: false, reason: 'notifications are off for this tenant' };
  const conf = CONFIDENCE_LEVELS.indexOf(report.tenantConfidence as TenantConfidence);
  if (conf < 0 || conf < CONFIDENCE_LEVELS.indexOf(policy.minConfidence)) {
    return { notify: false, reason: `tenant confidence ${report.tenantConfidence ?? 'none'} is below ${policy.minConfidence}` };
  }
  if (!(TRUST_LEVELS as readonly string[]).includes(report.reporterTrust) || !trustAtLeast(report.reporterTrust as ReporterTrust, policy.minTrust)) {
    return { notify: false, reason: `reporter trust ${report.reporterTrust} is below ${policy.minTrust}` };
  }
  return { notify: true };
}

/** The configured recipients: `notify.to`, else the abuse contact; never an address from a report. */
export function recipientsOf(policy: NotifyPolicy, abuseContact: string | null): string[] {
  return policy.to.length ? policy.to : abuseContact ? [abuseContact] : [];
}
