import { z } from 'zod';
import { TRUST_LEVELS } from '../../shared/trust/reporter-trust.ts';
import { defineEndpoint } from '../openapi/endpoint.ts';
import { bodyText, urlText, uuid } from '../edge/params.ts';

/**
 * The JSON endpoints of reporter trust (docs/reputation.md, "Reporter trust"): the routes validate
 * with these declarations and /openapi.json is generated from them (api/openapi/registry.ts).
 */

const analyst = { roles: ['analyst', 'admin'] } as const;
const trustLevel = z.enum(TRUST_LEVELS);
const reportIdParam = z.object({ id: uuid });

export const trustChange = z.object({
  id: z.string(),
  from: trustLevel,
  to: trustLevel,
  reason: z.string(),
  actor: z.string(),
  at: z.string(),
  appliedAt: z.string().nullable().describe('when the worker brought reputation in line; null while pending'),
  effect: z.string().nullable().describe('what that did: applied, restored or withdrawn events, listings made'),
});

export const setTrustEndpoint = defineEndpoint({
  method: 'post', path: '/v1/reports/:id/trust', tag: 'reporter trust', auth: analyst,
  summary: "Promote or demote a report's reporter trust, with a reason (audited)",
  description: 'The worker then applies the report\'s reputation effect (once, dated at the report\'s time), restores it, or withdraws it (recorded; a listing is never ended by it).',
  params: reportIdParam,
  body: z.object({
    trust: trustLevel.describe('the new trust; feed only for a report whose channel was bound to a feedback loop'),
    reason: bodyText(1000, 3).describe('why: kept in the audit trail'),
  }),
  responses: {
    200: {
      description: 'the trust now (changed: false when it already was)',
      schema: z.object({
        id: z.uuid(), trust: trustLevel, previous: trustLevel, changed: z.boolean(),
        changeId: z.string().nullable().describe('the audit row; the worker applies its effect within seconds'),
      }),
    },
    404: 'no such report',
  },
});

export const getTrustEndpoint = defineEndpoint({
  method: 'get', path: '/v1/reports/:id/trust', tag: 'reporter trust', auth: analyst,
  summary: "A report's reporter trust, whether it moves reputation, and its trust history",
  params: reportIdParam,
  responses: {
    200: {
      description: 'the trust and its changes, oldest first',
      schema: z.object({ id: z.uuid(), trust: trustLevel, counts: z.boolean().describe('at least REPUTATION_MIN_TRUST'), history: z.array(trustChange) }),
    },
    404: 'no such report',
  },
});

export const reporter = z.object({
  id: z.uuid(),
  email: z.string(),
  identity: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
});

export const listReportersEndpoint = defineEndpoint({
  method: 'get', path: '/v1/reporters', tag: 'reporter trust', auth: analyst,
  summary: 'Personal reporting addresses (their tokens are never stored, only hashes)',
  query: z.object({
    status: z.enum(['live', 'revoked', 'all']).default('live'),
    email: urlText(254).optional().describe('only this address (normalised: lower case, +tag removed)'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
  responses: { 200: { description: 'newest first', schema: z.object({ items: z.array(reporter) }) } },
});

export const revokeReporterEndpoint = defineEndpoint({
  method: 'post', path: '/v1/reporters/:id/revoke', tag: 'reporter trust', auth: analyst,
  summary: 'Revoke a personal reporting address (mail to it is refused from then on)',
  params: z.object({ id: uuid }),
  body: z.object({ reason: bodyText(1000, 3).describe('why; kept with the address') }),
  responses: { 200: { description: 'revoked', schema: z.object({ id: z.uuid(), revoked: z.literal(true) }) }, 404: 'no such reporter', 409: 'already revoked' },
});

export const trustEndpoints = [setTrustEndpoint, getTrustEndpoint, listReportersEndpoint, revokeReporterEndpoint];
