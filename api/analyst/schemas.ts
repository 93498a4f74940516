import { z } from 'zod';
import { TRUST_LEVELS } from '../../shared/trust/reporter-trust.ts';
import { CHANNELS } from '../../shared/db/entities/submission.entity.ts';
import { cidr, ipAddress, isoTimestamp, normalizeIp, queryInt, tenantId, urlText, uuid } from '../edge/params.ts';
import { decodeReportCursor } from './report-cursor.ts';

/**
 * The zod schemas the analyst routes validate with. api/openapi/ builds the OpenAPI document from
 * these same objects, so the documentation cannot drift from what the routes accept.
 */

/** One IP address (normalised; no range, no zone id). */
export const ipString = ipAddress;
export const cidrString = cidr;

const isoDate = isoTimestamp;

export const DIRECTIONS = ['outbound', 'inbound', 'foreign', 'unknown'] as const;
export const KINDS = ['arf', 'xarf', 'forward', 'direct'] as const;
export const CONFIDENCES = ['verified', 'high', 'medium', 'low'] as const;

/** The report filters, shared by the list, the export and the UI search page. */
export const reportFilters = z.object({
  ip: ipString.optional().describe('matches the relay IP or the originating IP'),
  cidr: cidrString.optional().describe('relay or originating IP inside this network'),
  tenant: tenantId.optional().describe('attributed (originating) tenant id'),
  direction: z.enum(DIRECTIONS).optional(),
  kind: z.enum(KINDS).optional(),
  feedbackType: urlText(32).regex(/^[A-Za-z0-9._-]+$/, 'must be a feedback type such as abuse (letters, digits, . _ -)').optional()
    .describe('ARF feedback type, e.g. abuse'),
  channel: z.enum(CHANNELS).optional().describe('intake channel: http (raw MIME over HTTP), smtp, webform (the public form), api (POST /v1/reports), trap (mail to a spam trap, docs/intake.md)'),
  confidence: z.enum(CONFIDENCES).optional().describe('tenant attribution confidence'),
  trust: z.enum(TRUST_LEVELS).optional().describe("the reporter's trust (anonymous reports are unverified and count for nothing)"),
  since: isoDate.optional().describe('received at or after'),
  until: isoDate.optional().describe('received before'),
  q: urlText(200, 3).optional()
    .describe('substring of subject, From address or Message-ID (3+ characters); a UUID finds the report with that id or the reports of that submission (a reporter\'s tracking id)'),
  campaign: z.string().regex(/^\d{1,18}$/, 'a campaign id (digits)').optional().describe('reports of this campaign (docs/campaigns.md)'),
});
export type ReportFilters = z.infer<typeof reportFilters>;

export const reportListQuery = reportFilters.extend({
  limit: queryInt(1, 200, 50),
  cursor: z.string().max(200).refine((c) => decodeReportCursor(c) !== null, 'is not a cursor this API handed out').optional()
    .describe('nextCursor from the previous page'),
  before: z.string().max(200).refine((c) => decodeReportCursor(c) !== null, 'is not a cursor this API handed out').optional()
    .describe('prevCursor of a page: the page before it (newer reports); excludes cursor'),
  count: z.enum(['true', 'false']).optional().describe('true: also answer total, the number of matching reports (exact up to 10,000)'),
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
  limit: queryInt(1, 100, 10),
});

export const timeseriesQuery = z.object({
  by: z.enum(STAT_DIMENSIONS).optional().describe('without key: one series per top-5 key of this dimension'),
  key: urlText(255).optional().describe('one IP, tenant or domain; needs by'),
  ip: ipString.optional().describe('reports whose relay or originating IP is this one (instead of by/key)'),
  bucket: z.enum(['hour', 'day']).default('hour'),
  window: z.enum(WINDOWS).default('7d'),
}).superRefine((q, ctx) => {
  // Cross-field rules, here rather than in the route so that every caller gets them.
  if (q.key !== undefined && !q.by) ctx.addIssue({ code: 'custom', path: ['key'], message: 'needs by' });
  if (q.ip !== undefined && q.by) ctx.addIssue({ code: 'custom', path: ['ip'], message: 'use ip or by, not both' });
  if (q.key !== undefined && (q.by === 'relayIp' || q.by === 'originatingIp') && normalizeIp(q.key) === null) {
    ctx.addIssue({ code: 'custom', path: ['key'], message: `must be an IP address when by is ${q.by}` });
  }
});

export const reportIdParam = z.object({ id: uuid });
export const ipParam = z.object({ ip: ipString });
export const tenantParam = z.object({ id: tenantId });

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
  reporterTrust: z.enum(TRUST_LEVELS),
  campaignId: z.string().nullable().describe('the campaign of the report (docs/campaigns.md); null when its content could not be judged'),
  submissionId: z.uuid(),
  category: z.string().nullable().describe('the submission\'s category (web form, API, or the intake address)'),
  description: z.string().nullable().describe('the reporter\'s description (web form, API), reporter-written text'),
});

export const boundedTotal = z.object({
  count: z.number().int().describe('exact when more is false, else the bound (10,000)'),
  more: z.boolean().describe('more than count reports match'),
});

export const reportPage = z.object({
  items: z.array(reportSummary),
  nextCursor: z.string().nullable().describe('pass as cursor to get the next (older) page; null at the end'),
  prevCursor: z.string().nullable().describe('pass as before to get the previous (newer) page; null on the first page'),
  total: boundedTotal.nullable().optional().describe('with count=true; null when counting took too long'),
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

const counts = z.record(z.string(), z.number().int());

/** GET /v1/ips/:ip and GET /v1/tenants/:id (subject-query.ts builds it). */
export const subjectProfile = z.object({
  subject: z.object({ kind: z.enum(['ip', 'tenant']), key: z.string() }),
  reports: z.object({
    total30d: z.number().int(), last24h: z.number().int(), last7d: z.number().int(),
    breakdown: z.object({ kind: counts, feedbackType: counts }),
    recent: z.array(reportSummary).describe('the 20 most recent'),
  }),
  reputation: z.object({
    score: z.number().describe('decayed to now'), storedScore: z.number(), updatedAt: z.string(), reports: z.number().int(),
    lastReportAt: z.string().nullable(), platform: z.boolean(),
  }).nullable(),
  complaintRate: z.object({ complaints24h: z.number().int(), delivered24h: z.number().nullable(), rate: z.number().nullable() }),
  listing: z.object({
    listed: z.boolean(), listedAt: z.string().nullable(), reasons: z.unknown(),
    manual: z.boolean().describe('listed by an analyst: ends only by hand or at expiresAt'), expiresAt: z.string().nullable(),
  }).nullable().describe('IP only'),
  flag: z.object({ flaggedAt: z.string(), score: z.number(), reasons: z.unknown(), clearedAt: z.string().nullable() }).nullable().describe('tenant only'),
  history: z.array(z.object({ action: z.string(), reason: z.string(), actor: z.string(), at: z.string() })).describe('listing history (IP)'),
});
