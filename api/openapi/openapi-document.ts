import { z } from 'zod';
import * as s from '../analyst/schemas.ts';
import { campaignPaths } from '../campaigns/campaigns.openapi.ts';

/**
 * The OpenAPI 3.1 document, generated from the zod schemas the analyst routes validate with
 * (z.toJSONSchema); OpenAPI 3.1 schemas are JSON Schema 2020-12, so no translation is needed.
 */
type JsonSchema = { properties?: Record<string, JsonSchema>; required?: string[]; description?: string; [k: string]: unknown };

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** One OpenAPI parameter per property of an object schema. */
export interface Parameter {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

function params(schema: z.ZodType, where: 'query' | 'path'): Parameter[] {
  const js = toSchema(schema, 'input');
  return Object.entries(js.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    description: prop.description,
    schema: prop,
  }));
}

const json = (schema: z.ZodType) => ({ 'application/json': { schema: toSchema(schema, 'output') } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: toSchema(s.problem, 'output') } } });
const errors = {
  '400': problem('invalid parameters (details.problems names each field)'),
  '401': problem('no valid API key or session'),
  '403': problem('role not allowed'),
};

function get(summary: string, parameters: Parameter[], ok: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { get: { summary, tags: ['analyst'], security: [{ bearer: [] }, { session: [] }], parameters, responses: { ...ok, ...errors, ...extra } } };
}

export function openApiDocument(serverUrl?: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'abuse-intake analyst API',
      version: '1',
      description: 'Query reports, export them, and read statistics and IP/tenant profiles. See docs/analyst.md.',
    },
    servers: serverUrl ? [{ url: serverUrl }] : [],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API key with role analyst or admin (`abuse-intake keys create`)' },
        session: { type: 'apiKey', in: 'cookie', name: 'ai_sid', description: 'UI session; GET requests only' },
      },
    },
    paths: {
      '/v1/reports': get('List reports, newest first (keyset pagination)', params(s.reportListQuery, 'query'), {
        '200': { description: 'one page', content: json(s.reportPage) },
      }),
      '/v1/reports/export': get('Export every matching report (streamed)', params(s.exportQuery, 'query'), {
        '200': {
          description: 'CSV (formula-like cells prefixed with \') or NDJSON of report summaries',
          content: { 'text/csv': { schema: { type: 'string' } }, 'application/x-ndjson': { schema: toSchema(s.reportSummary, 'output') } },
        },
      }),
      '/v1/reports/{id}/raw': get('Download the original submission as message/rfc822', params(s.reportIdParam, 'path'), {
        '200': { description: 'the raw message, as an attachment', content: { 'message/rfc822': { schema: { type: 'string', format: 'binary' } } } },
      }, { '404': problem('no such report, or its raw message was removed by retention') }),
      '/v1/stats/top': get('Top relay IPs, originating IPs, tenants or domains in a window', params(s.topQuery, 'query'), {
        '200': { description: 'keys by report count', content: json(s.topResult) },
      }),
      '/v1/stats/timeseries': get('Reports per hour or day', params(s.timeseriesQuery, 'query'), {
        '200': { description: 'zero-filled series', content: json(s.timeseriesResult) },
      }),
      '/v1/ips/{ip}': get('IP profile: score, listing state and history, complaint rate, recent reports, breakdown', params(s.ipParam, 'path'), {
        '200': { description: 'the profile', content: { 'application/json': { schema: { type: 'object' } } } },
      }),
      '/v1/tenants/{id}': get('Tenant profile: score, flag, complaint rate, recent reports, breakdown', params(s.tenantParam, 'path'), {
        '200': { description: 'the profile', content: { 'application/json': { schema: { type: 'object' } } } },
      }, { '404': problem('unknown tenant with no reports') }),
      ...campaignPaths(),
    },
  };
}
