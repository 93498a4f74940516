import { z } from 'zod';
import { ipString } from '../analyst/schemas.ts';
import { TRIAGE_STATUSES } from '../../shared/triage/triage-status.ts';
import { triageCase } from '../triage/triage.schemas.ts';

/**
 * Request and response schemas of the campaign endpoints (docs/campaigns.md). The routes validate
 * with these objects and api/openapi documents them, so the two cannot drift apart.
 */

const isoDate = z.iso.datetime({ offset: true }).describe('ISO 8601 timestamp, e.g. 2026-11-20T00:00:00Z');
export const campaignId = z.string().regex(/^\d{1,18}$/, 'a campaign id (digits)');

export const CAMPAIGN_SORTS = ['lastSeen', 'reports', 'reporters'] as const;

export const campaignListQuery = z.object({
  since: isoDate.optional().describe('active at or after (last seen ≥ since)'),
  until: isoDate.optional().describe('started before (first seen < until)'),
  tenant: z.string().min(1).max(100).optional().describe('a report of the campaign was attributed to this tenant'),
  ip: ipString.optional().describe('a report of the campaign has this relay or originating IP'),
  domain: z.string().min(1).max(253).optional().describe('the campaign links to this registrable domain'),
  status: z.enum(TRIAGE_STATUSES).optional().describe('triage status'),
  sort: z.enum(CAMPAIGN_SORTS).default('lastSeen'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional().describe('nextCursor from the previous page (same sort)'),
});
export type CampaignListQuery = z.infer<typeof campaignListQuery>;

export const campaignIdParam = z.object({ id: campaignId });

export const campaignDetailQuery = z.object({
  bucket: z.enum(['hour', 'day']).default('hour'),
  window: z.enum(['24h', '7d', '30d']).default('7d').describe('time series span, ending at the last report'),
});

export const mergeBody = z.object({ from: campaignId.describe('the campaign merged into this one (it then redirects here)') }).strict();
export const splitBody = z.object({ reportId: z.uuid().describe('a report of this campaign, moved to a new campaign of its own') }).strict();

const facet = z.object({ value: z.string(), reports: z.number().int() });

export const campaignSummary = z.object({
  id: z.string(),
  status: z.enum(TRIAGE_STATUSES),
  assignee: z.string().nullable(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  reports: z.number().int(),
  reporters: z.object({ total: z.number().int(), anonymous: z.number().int(), verified: z.number().int(), platform: z.number().int(), feed: z.number().int() })
    .describe('distinct reporters at each trust level'),
  subject: z.string().nullable().describe("the first report's subject (reported content: escape it)"),
  subjectStem: z.string(),
  mergedInto: z.string().nullable(),
  relayIps: z.array(facet),
  originatingIps: z.array(facet),
  tenants: z.array(facet),
  urlDomains: z.array(facet),
  counts: z.object({ relayIps: z.number().int(), originatingIps: z.number().int(), tenants: z.number().int(), urlDomains: z.number().int() })
    .describe('distinct values of each facet (the lists above are the top ones)'),
});

export const campaignPage = z.object({
  items: z.array(campaignSummary),
  nextCursor: z.string().nullable(),
});

export const campaignDetail = campaignSummary.extend({
  sampleSubjects: z.array(z.object({ subject: z.string(), reports: z.number().int() })),
  series: z.object({ bucket: z.enum(['hour', 'day']), from: z.string(), to: z.string(), points: z.array(z.tuple([z.string(), z.number().int()])) }),
  triage: triageCase,
  reportsUrl: z.string().describe('the reports of this campaign: GET /v1/reports?campaign=ID'),
});
