import { z } from 'zod';
import { TRIAGE_STATUSES } from '../../shared/triage/triage-status.ts';
import { triageCase } from '../triage/triage.schemas.ts';
import { defineEndpoint } from '../openapi/endpoint.ts';
import { ipAddress, isoTimestamp, queryInt, tenantId, urlText, uuid } from '../edge/params.ts';

/**
 * Request and response schemas of the campaign endpoints (docs/campaigns.md). The routes validate
 * with these objects and api/openapi documents them, so the two cannot drift apart.
 */

export const campaignId = z.string().regex(/^\d{1,18}$/, 'must be a campaign id (digits)').meta({ examples: ['1'] });

export const CAMPAIGN_SORTS = ['lastSeen', 'reports', 'reporters'] as const;

export const campaignListQuery = z.object({
  since: isoTimestamp.optional().describe('active at or after (last seen ≥ since)'),
  until: isoTimestamp.optional().describe('started before (first seen < until)'),
  tenant: tenantId.optional().describe('a report of the campaign was attributed to this tenant'),
  ip: ipAddress.optional().describe('a report of the campaign has this relay or originating IP'),
  domain: urlText(253).optional().describe('the campaign links to this registrable domain'),
  status: z.enum(TRIAGE_STATUSES).optional().describe('triage status'),
  sort: z.enum(CAMPAIGN_SORTS).default('lastSeen'),
  limit: queryInt(1, 200, 50),
  cursor: urlText(300).optional().describe('nextCursor from the previous page (same sort)'),
});
export type CampaignListQuery = z.infer<typeof campaignListQuery>;

export const campaignIdParam = z.object({ id: campaignId });

export const campaignDetailQuery = z.object({
  bucket: z.enum(['hour', 'day']).default('hour'),
  window: z.enum(['24h', '7d', '30d']).default('7d').describe('time series span, ending at the last report'),
});

export const mergeBody = z.object({ from: campaignId.describe('the campaign merged into this one (it then redirects here)') }).strict();
export const splitBody = z.object({ reportId: uuid.describe('a report of this campaign, moved to a new campaign of its own') }).strict();

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

// ---- the endpoints, for api/openapi/registry.ts (campaigns.routes.ts validates with them) ----

const tag = 'campaigns';

export const listCampaignsEndpoint = defineEndpoint({
  method: 'get', path: '/v1/campaigns', tag, auth: { roles: ['analyst', 'admin'], session: 'read' },
  summary: 'List campaigns (filters: time, tenant, IP, URL domain, triage status; sort by last seen, reports or reporters; keyset paging)',
  query: campaignListQuery,
  responses: { 200: { description: 'one page', schema: campaignPage } },
});

export const getCampaignEndpoint = defineEndpoint({
  method: 'get', path: '/v1/campaigns/:id', tag, auth: { roles: ['analyst', 'admin'], session: 'read' },
  summary: 'One campaign: counts, reporters per trust level, facets, sample subjects, triage, time series',
  params: campaignIdParam, query: campaignDetailQuery,
  responses: { 200: { description: 'the campaign (mergedInto set when it was merged)', schema: campaignDetail }, 404: 'no such campaign' },
});

export const mergeCampaignEndpoint = defineEndpoint({
  method: 'post', path: '/v1/campaigns/:id/merge', tag, auth: { roles: ['analyst', 'admin'] },
  summary: 'Merge another campaign into this one (audited)',
  params: campaignIdParam, body: mergeBody,
  responses: { 200: { description: 'the merged campaign', schema: campaignDetail }, 404: 'no such campaign', 409: 'a campaign was merged already' },
});

export const splitCampaignEndpoint = defineEndpoint({
  method: 'post', path: '/v1/campaigns/:id/split', tag, auth: { roles: ['analyst', 'admin'] },
  summary: 'Move one report out of this campaign into a new campaign (audited)',
  params: campaignIdParam, body: splitBody,
  responses: { 201: { description: 'the new campaign', schema: campaignDetail }, 404: 'the report is not in this campaign', 409: 'the only report, or a merged campaign' },
});

export const campaignEndpoints = [listCampaignsEndpoint, getCampaignEndpoint, mergeCampaignEndpoint, splitCampaignEndpoint];
