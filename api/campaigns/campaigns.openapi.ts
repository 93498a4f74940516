import { z } from 'zod';
import { problem } from '../analyst/schemas.ts';
import { campaignDetail, campaignDetailQuery, campaignIdParam, campaignListQuery, campaignPage, mergeBody, splitBody } from './campaigns.schemas.ts';
import { triageCase, triageChangeBody, triageParams } from '../triage/triage.schemas.ts';

/**
 * The OpenAPI path items of the campaign and triage endpoints, generated from the same zod schemas
 * the routes validate with; api/openapi spreads them into its document (one line there).
 */
type JsonSchema = { properties?: Record<string, JsonSchema>; required?: string[]; description?: string; [k: string]: unknown };

function schema(s: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

function params(s: z.ZodType, where: 'query' | 'path') {
  const js = schema(s, 'input');
  return Object.entries(js.properties ?? {}).map(([name, prop]) => ({
    name, in: where, required: where === 'path' || (js.required ?? []).includes(name), description: prop.description, schema: prop,
  }));
}

const json = (s: z.ZodType) => ({ 'application/json': { schema: schema(s, 'output') } });
const err = (description: string) => ({ description, content: { 'application/problem+json': { schema: schema(problem, 'output') } } });
const errors = { '400': err('invalid parameters (details.problems names each field)'), '401': err('no valid API key or session'), '403': err('role not allowed') };
const security = [{ bearer: [] }, { session: [] }];

function op(summary: string, parameters: unknown[], responses: Record<string, unknown>, body?: z.ZodType) {
  return {
    summary, tags: ['campaigns'], security: body ? [{ bearer: [] }] : security, parameters,
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(body, 'input') } } } } : {}),
    responses: { ...responses, ...errors },
  };
}

export function campaignPaths() {
  return {
    '/v1/campaigns': {
      get: op('List campaigns (filters: time, tenant, IP, URL domain, triage status; sort by last seen, reports or reporters; keyset paging)',
        params(campaignListQuery, 'query'), { '200': { description: 'one page', content: json(campaignPage) } }),
    },
    '/v1/campaigns/{id}': {
      get: op('One campaign: counts, reporters per trust level, facets, sample subjects, triage, time series',
        [...params(campaignIdParam, 'path'), ...params(campaignDetailQuery, 'query')],
        { '200': { description: 'the campaign (mergedInto set when it was merged)', content: json(campaignDetail) }, '404': err('no such campaign') }),
    },
    '/v1/campaigns/{id}/merge': {
      post: op('Merge another campaign into this one (audited)', params(campaignIdParam, 'path'),
        { '200': { description: 'the merged campaign', content: json(campaignDetail) }, '404': err('no such campaign'), '409': err('already merged') }, mergeBody),
    },
    '/v1/campaigns/{id}/split': {
      post: op('Move one report out of this campaign into a new campaign (audited)', params(campaignIdParam, 'path'),
        { '201': { description: 'the new campaign', content: json(campaignDetail) }, '404': err('report not in this campaign'), '409': err('the only report') }, splitBody),
    },
    '/v1/triage/{kind}/{key}': {
      get: op('Triage case of a campaign, IP or tenant: status, assignee, notes, audit trail', params(triageParams, 'path'),
        { '200': { description: 'the case (status new when never triaged)', content: json(triageCase) }, '404': err('no such subject') }),
      post: op('Change status (new → investigating → actioned | false-positive), assignee, or add a note (audited)', params(triageParams, 'path'),
        { '200': { description: 'the case after the change', content: json(triageCase) }, '409': err('transition not allowed') }, triageChangeBody),
    },
  };
}
