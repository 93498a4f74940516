import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The zod schemas the analyst routes validate with. api/openapi/ builds the OpenAPI document from
 * these same objects, so the documentation cannot drift from what the routes accept.
 */

export const ipString = z.string().max(64).refine((s) => isIP(s) !== 0, 'must be an IPv4 or IPv6 address');

export const cidrString = z
  .string()
  .max(64)
  .refine((s) => {
    const [addr, bits, extra] = s.split('/');
    if (!addr || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits)) return false;
    const family = isIP(addr);
    return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
  }, 'must be a network in CIDR notation, e.g. 203.0.113.0/24');

const isoDate = z.iso.datetime({ offset: true }).describe('ISO 8601 timestamp, e.g. 2026-11-20T00:00:00Z');

export const DIRECTIONS = ['outbound', 'inbound', 'foreign', 'unknown'] as const;
export const KINDS = ['arf', 'xarf', 'forward', 'direct'] as const;
export const CONFIDENCES = ['verified', 'high', 'medium', 'low'] as const;

/** The report filters, shared by the list, the export and the UI search page. */
export const reportFilters = z.object({
  ip: ipString.optional().describe('matches the relay IP or the originating IP'),
  cidr: cidrString.optional().describe('relay or originating IP inside this network'),
  tenant: z.string().min(1).max(100).optional(),
  direction: z.enum(DIRECTIONS).optional(),
  kind: z.enum(KINDS).optional(),
  feedbackType: z.string().min(1).max(32).optional(),
  channel: z.string().min(1).max(16).optional(),
  confidence: z.enum(CONFIDENCES).optional().describe('tenant attribution confidence'),
  since: isoDate.optional().describe('received at or after'),
  until: isoDate.optional().describe('received before'),
  q: z.string().min(3).max(200).optional().describe('substring of subject, From address or Message-ID (3+ characters)'),
  campaign: z.string().regex(/^\d{1,18}$/, 'a campaign id (digits)').optional().describe('reports of this campaign (docs/campaigns.md)'),
});
export type ReportFilters = z.infer<typeof reportFilters>;

export const reportListQuery = reportFilters.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor from the previous page'),
});

export const exportQuery = reportFilters.extend({
  format: z.enum(['csv', 'ndjson']).default('ndjson'),
});

export const STAT_DIMENSIONS = ['relayIp', 'originatingIp', 'tenant', 'domain'] as const;
export const WINDOWS = ['1h', '24h', '7d', '30d'] as const;

/** Top lists also rank the registrable domains linked from reported bodies (docs/campaigns.md). */
export const TOP_DIMENSIONS = [...STAT_DIMENSIONS, 'urlDomain'] as const;

export const topQuery = z.object({
  by: z.enum(TOP_DIMENSIONS),
  window: z.enum(WINDOWS).default('24h'),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});

export const timeseriesQuery = z.object({
  by: z.enum(STAT_DIMENSIONS).optional().describe('without key: one series per top-5 key of this dimension'),
  key: z.string().min(1).max(100).optional().describe('one IP, tenant or domain; needs by'),
  ip: ipString.optional().describe('reports whose relay or originating IP is this one (instead of by/key)'),
  bucket: z.enum(['hour', 'day']).default('hour'),
  window: z.enum(WINDOWS).default('7d'),
});

export const reportIdParam = z.object({ id: z.uuid() });
export const ipParam = z.object({ ip: ipString });
export const tenantParam = z.object({ id: z.string().min(1).max(100) });

// ---- responses (documented in OpenAPI; the routes build these shapes) ----

export const reportSummary = z.object({
  id: z.uuid(),
  receivedAt: z.string(),
  channel: z.string(),
  kind: z.string(),
  subject: z.string().nullable(),
  from: z.string().nullable(),
  fromDomain: z.string().nullable(),
  messageId: z.string().nullable(),
  direction: z.string(),
  relayIp: z.string().nullable(),
  originatingIp: z.string().nullable(),
  tenant: z.string().nullable(),
  tenantConfidence: z.string().nullable(),
  feedbackType: z.string().nullable(),
  campaignId: z.string().nullable().describe('the campaign of the report (docs/campaigns.md); null when its content could not be judged'),
});

export const reportPage = z.object({
  items: z.array(reportSummary),
  nextCursor: z.string().nullable().describe('pass as cursor to get the next (older) page; null at the end'),
});

export const topResult = z.object({
  by: z.enum(TOP_DIMENSIONS),
  window: z.enum(WINDOWS),
  items: z.array(z.object({ key: z.string(), count: z.number().int() })),
});

export const timeseriesResult = z.object({
  bucket: z.enum(['hour', 'day']),
  from: z.string(),
  to: z.string(),
  series: z.array(z.object({ key: z.string().nullable(), points: z.array(z.tuple([z.string(), z.number().int()])) })),
});

export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
