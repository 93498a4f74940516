import { z } from 'zod';
import { TRUST_LEVELS } from '../../shared/trust/reporter-trust.ts';

/**
 * Request and response schemas of the trust endpoints (docs/reputation.md, "Reporter trust");
 * the routes validate with these and api/openapi/ documents them from the same objects.
 */

export const reportIdParam = z.object({ id: z.uuid() });

export const trustChangeBody = z.object({
  trust: z.enum(TRUST_LEVELS).describe('the new trust; feed only for a report whose channel was bound to a feedback loop'),
  reason: z.string().trim().min(3).max(1000).describe('why: kept in the audit trail'),
});

export const trustChange = z.object({
  id: z.string(),
  from: z.enum(TRUST_LEVELS),
  to: z.enum(TRUST_LEVELS),
  reason: z.string(),
  actor: z.string(),
  at: z.string(),
  appliedAt: z.string().nullable().describe('when the worker brought reputation in line; null while pending'),
  effect: z.string().nullable().describe('what that did: applied, restored or withdrawn events, listings made'),
});

export const trustChangeResult = z.object({
  id: z.uuid(),
  trust: z.enum(TRUST_LEVELS),
  previous: z.enum(TRUST_LEVELS),
  changed: z.boolean(),
  changeId: z.string().nullable().describe('the audit row; its effect is applied by the worker within seconds'),
});

export const reportTrust = z.object({
  id: z.uuid(),
  trust: z.enum(TRUST_LEVELS),
  counts: z.boolean().describe('whether this trust moves reputation (at least REPUTATION_MIN_TRUST)'),
  history: z.array(trustChange),
});

export const reporterListQuery = z.object({
  status: z.enum(['live', 'revoked', 'all']).default('live'),
  email: z.string().max(254).optional().describe('only this address (normalised: lower case, +tag removed)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const reporterIdParam = z.object({ id: z.uuid() });

export const reporterRevokeBody = z.object({ reason: z.string().trim().min(3).max(1000) });

export const reporter = z.object({
  id: z.uuid(),
  email: z.string(),
  identity: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
});

export const reporterList = z.object({ items: z.array(reporter) });

/**
 * The JSON endpoints of reporter trust, for the OpenAPI document (api/openapi/): method, path,
 * summary, the zod schemas of path, query, body and the 200 answer. Analyst or admin key.
 */
export const TRUST_ENDPOINTS = [
  { method: 'post', path: '/v1/reports/{id}/trust', summary: "Promote or demote a report's reporter trust (audited; the worker applies, restores or withdraws its reputation effect)", params: reportIdParam, body: trustChangeBody, response: trustChangeResult },
  { method: 'get', path: '/v1/reports/{id}/trust', summary: "A report's reporter trust, whether it moves reputation, and its trust history", params: reportIdParam, response: reportTrust },
  { method: 'get', path: '/v1/reporters', summary: 'Personal reporting addresses (no tokens: only their hashes are kept)', query: reporterListQuery, response: reporterList },
  { method: 'post', path: '/v1/reporters/{id}/revoke', summary: 'Revoke a personal reporting address (mail to it is refused from then on)', params: reporterIdParam, body: reporterRevokeBody, response: z.object({ id: z.uuid(), revoked: z.literal(true) }) },
] as const;
