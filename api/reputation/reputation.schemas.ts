import { z } from 'zod';
import { defineEndpoint } from '../openapi/endpoint.ts';
import { bodyText, ipAddress, isoTimestamp, normalizeIp, queryBool, queryInt, tenantId, urlText, uuid } from '../edge/params.ts';

/** Sender reputation's endpoints (docs/reputation.md); the routes in this folder validate with these. */

const analyst = { roles: ['analyst', 'admin'] } as const;
const reasonBody = z.object({ reason: bodyText(1000, 3).describe('why; kept in the history') });
const ipPath = z.object({ ip: ipAddress });

export const lookupResult = z.object({
  ip: z.string(),
  listed: z.boolean(),
  score: z.number(),
  reasons: z.array(z.string()),
  listedAt: z.string().nullable(),
  expiresAt: z.string().nullable().describe('when the listing expires by itself if no new report arrives'),
  delistUrl: z.string().nullable(),
  smtpResponse: z.string().nullable().describe('a ready SMTP reply line for an MTA that rejects listed IPs'),
});

export const lookupEndpoint = defineEndpoint({
  method: 'get', path: '/v1/lookup/:ip', tag: 'reputation', auth: { roles: ['platform', 'analyst', 'admin'] },
  summary: 'MTA lookup: is this IP listed (from the Redis copy, never Postgres)',
  params: ipPath,
  responses: { 200: { description: 'the listing state', schema: lookupResult }, 503: 'the listings store does not answer; retry' },
});

export const BLOCKLIST_FORMATS = ['json', 'text', 'rbldnsd'] as const;
export const blocklistEndpoint = defineEndpoint({
  method: 'get', path: '/v1/blocklist', tag: 'reputation', auth: { roles: ['platform', 'analyst', 'admin'] },
  summary: 'The listed IPs now, streamed (JSON, plain text or an rbldnsd ip4set zone)',
  query: z.object({ format: z.enum(BLOCKLIST_FORMATS).default('json') }),
  responses: {
    200: {
      description: 'every listing',
      content: {
        'application/json': z.object({ generatedAt: z.string(), listings: z.array(z.object({ ip: z.string(), listedAt: z.string(), reasons: z.array(z.string()) })), count: z.number().int() }),
        'text/plain': 'text',
      },
    },
  },
});

export const volumeBody = z.array(z.object({
  hour: isoTimestamp.describe('any instant inside the hour'),
  ip: ipAddress,
  tenant: tenantId.optional(),
  delivered: z.number().int().min(0).max(1e12),
})).min(1).max(10_000);

export const volumeEndpoint = defineEndpoint({
  method: 'post', path: '/v1/volume', tag: 'reputation', auth: { roles: ['platform', 'admin'] },
  summary: 'Delivered-message counts per IP (and tenant) per hour: the complaint rate\'s denominator',
  body: volumeBody,
  responses: { 200: { description: 'stored (posting an hour again replaces it)', schema: z.object({ accepted: z.number().int(), rows: z.number().int() }) } },
});

export const DELIST_STATUSES = ['unconfirmed', 'delisted', 'queued', 'approved', 'denied', 'not_listed', 'all'] as const;
export const delistRequestsEndpoint = defineEndpoint({
  method: 'get', path: '/v1/delist-requests', tag: 'delist', auth: analyst,
  summary: 'Delist requests (by default the ones waiting for an analyst)',
  query: z.object({ status: z.enum(DELIST_STATUSES).default('queued'), limit: queryInt(1, 500, 100) }),
  responses: { 200: { description: 'the requests', schema: z.object({ requests: z.array(z.record(z.string(), z.unknown())) }) } },
});

export const delistDecisionEndpoint = defineEndpoint({
  method: 'post', path: '/v1/delist-requests/:id/decision', tag: 'delist', auth: analyst,
  summary: 'Approve or deny a queued delist request, with a reason',
  params: z.object({ id: uuid }),
  body: z.object({ decision: z.enum(['approve', 'deny']), reason: bodyText(1000, 3) }),
  responses: { 200: { description: 'the decided request', schema: z.record(z.string(), z.unknown()) }, 404: 'no such request', 409: 'the request is not waiting for a decision' },
});

export const SUBJECT_KINDS = ['ip', 'tenant', 'domain'] as const;
export const subjectParams = z.object({ kind: z.enum(SUBJECT_KINDS), key: urlText(255).describe('an IP, a tenant id or a domain') })
  .superRefine((p, ctx) => {
    if (p.kind === 'ip' && normalizeIp(p.key) === null) ctx.addIssue({ code: 'custom', path: ['key'], message: 'must be one IPv4 or IPv6 address when kind is ip' });
  });

export const subjectEndpoint = defineEndpoint({
  method: 'get', path: '/v1/reputation/:kind/:key', tag: 'reputation', auth: analyst,
  summary: 'A subject\'s score, distinct reporters, 24 h complaint rate, listing or flag, and history',
  params: subjectParams,
  responses: { 200: { description: 'the reputation state', schema: z.record(z.string(), z.unknown()) } },
});

const manualListing = z.object({
  ip: z.string(), listed: z.literal(true), created: z.boolean(), manual: z.literal(true),
  expiresAt: z.string().nullable().describe('when the manual listing ends; null: only an analyst ends it'),
});

export const listEndpoint = defineEndpoint({
  method: 'post', path: '/v1/listings/:ip', tag: 'reputation', auth: analyst,
  summary: 'List an IP by hand, with a reason; it never expires by itself unless expiresAt is given',
  params: ipPath,
  body: reasonBody.extend({ expiresAt: isoTimestamp.optional().describe('a future time at which the manual listing ends by itself') }),
  responses: {
    200: { description: 'was listed already (now manual, with this expiry)', schema: manualListing },
    201: { description: 'listed', schema: manualListing },
    409: 'a platform address (never listed)',
  },
});

export const unlistEndpoint = defineEndpoint({
  method: 'delete', path: '/v1/listings/:ip', tag: 'reputation', auth: analyst,
  summary: 'Remove a listing by hand, with a reason',
  params: ipPath,
  body: reasonBody,
  responses: { 200: { description: 'removed', schema: z.object({ ip: z.string(), listed: z.literal(false) }) }, 404: 'not listed' },
});

export const tenantFlagsEndpoint = defineEndpoint({
  method: 'get', path: '/v1/tenant-flags', tag: 'reputation', auth: analyst,
  summary: 'Tenants that crossed the listing thresholds (open flags by default)',
  query: z.object({ open: queryBool(true) }),
  responses: { 200: { description: 'the flags', schema: z.object({ flags: z.array(z.record(z.string(), z.unknown())) }) } },
});

export const clearFlagEndpoint = defineEndpoint({
  method: 'post', path: '/v1/tenant-flags/:tenant/clear', tag: 'reputation', auth: analyst,
  summary: 'Clear a tenant flag once handled, with a reason',
  params: z.object({ tenant: tenantId }),
  body: reasonBody,
  responses: { 200: { description: 'cleared', schema: z.object({ tenant: z.string(), cleared: z.literal(true) }) }, 404: 'no open flag' },
});

export const reputationEndpoints = [
  lookupEndpoint, blocklistEndpoint, volumeEndpoint, delistRequestsEndpoint, delistDecisionEndpoint, subjectEndpoint, listEndpoint,
  unlistEndpoint, tenantFlagsEndpoint, clearFlagEndpoint,
];
