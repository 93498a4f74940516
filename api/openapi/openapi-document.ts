import { z } from 'zod';
import type { Endpoint, EndpointSpec, ResponseSpec } from './endpoint.ts';
import { ENDPOINTS } from './registry.ts';
import { problemSchema } from './openapi.schemas.ts';

/**
 * The OpenAPI 3.1 document, generated from the endpoint declarations the routes validate with
 * (registry.ts; schemas through z.toJSONSchema — OpenAPI 3.1 schemas are JSON Schema 2020-12, so no
 * translation is needed). Built once per process.
 */
export type JsonSchema = { properties?: Record<string, JsonSchema>; required?: string[]; description?: string; [k: string]: unknown };

export function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

export interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

function params(schema: z.ZodType | undefined, where: Parameter['in']): Parameter[] {
  if (!schema) return [];
  const js = toSchema(schema, 'input');
  return Object.entries(js.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    ...(prop.description ? { description: prop.description } : {}),
    schema: prop,
  }));
}

/** Express `/v1/reports/:id` → OpenAPI `/v1/reports/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: PROBLEM_REF } } });

function media(content: Record<string, z.ZodType | 'binary' | 'text'>, io: 'input' | 'output') {
  return Object.fromEntries(Object.entries(content).map(([type, s]) => [type, {
    schema: s === 'binary' ? { type: 'string', format: 'binary' } : s === 'text' ? { type: 'string' } : toSchema(s, io),
  }]));
}

function response(status: number, r: ResponseSpec | string) {
  if (typeof r === 'string') return status >= 400 ? problem(r) : { description: r };
  const content = { ...(r.schema ? { 'application/json': r.schema } : {}), ...(r.content ?? {}) };
  return { description: r.description, ...(Object.keys(content).length ? { content: media(content, 'output') } : {}) };
}

function operation(spec: EndpointSpec) {
  const authed = spec.auth !== 'public';
  const hasInput = !!(spec.params || spec.query || spec.body || spec.requestContent || spec.headers);
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses)) responses[status] = response(Number(status), r);
  if (hasInput) responses['400'] ??= problem('invalid input: `detail` names each invalid parameter, `details.problems` lists them');
  if (authed) {
    responses['401'] ??= problem('no valid API key (or session)');
    responses['403'] ??= problem('the key\'s role may not use this endpoint');
  }
  if (spec.rateLimited) responses['429'] ??= problem('too many requests; see Retry-After');
  responses['500'] ??= problem('a bug; it has been logged');
  const body = spec.requestContent ?? (spec.body ? { 'application/json': spec.body } : null);
  const roles = spec.auth === 'public' ? [] : spec.auth.roles;
  const session = spec.auth !== 'public' && spec.auth.session === 'read' && spec.method === 'get';
  return {
    operationId: `${spec.method}${openApiPath(spec.path).replace(/[{}]/g, '').split(/[/.-]/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`,
    summary: spec.summary,
    ...(spec.description || authed ? { description: [spec.description, authed ? `Roles: ${roles.join(', ')}.` : ''].filter(Boolean).join(' ') } : {}),
    tags: [spec.tag],
    security: authed ? [{ bearer: [] }, ...(session ? [{ session: [] }] : [])] : [],
    'x-roles': roles,
    parameters: [...params(spec.params, 'path'), ...params(spec.query, 'query'), ...params(spec.headers, 'header')],
    ...(body ? { requestBody: { required: true, content: media(body, 'input') } } : {}),
    responses,
  };
}

export type Operation = ReturnType<typeof operation>;

export function openApiDocument(serverUrl?: string, endpoints: readonly Endpoint[] = ENDPOINTS) {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const e of endpoints) (paths[openApiPath(e.path)] ??= {})[e.method] = operation(e.spec);
  return {
    openapi: '3.1.0',
    info: {
      title: 'abuse-intake API',
      version: '1',
      description: 'Intake, reports, statistics, reputation, listings, delist requests, delivery volume and administration. ' +
        'Every error is application/problem+json (docs/errors.md). See docs/analyst.md.',
    },
    servers: serverUrl ? [{ url: serverUrl }] : [],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API key (`abuse-intake keys create --role …`); each operation lists the roles it accepts' },
        session: { type: 'apiKey', in: 'cookie', name: 'ai_sid', description: 'signed-in UI session; GET requests only' },
      },
      schemas: { Problem: toSchema(problemSchema, 'output') },
    },
    paths,
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
