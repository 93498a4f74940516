import type { Request } from 'express';
import { z } from 'zod';
import type { ApiRole } from '../../shared/db/entities/api-key.entity.ts';
import { AppError } from '../../shared/errors/app-error.ts';

/**
 * One JSON endpoint, declared once: the route validates its input with these schemas
 * (`endpoint.parse(req)`) and the OpenAPI document (`/openapi.json`, `/docs`) is generated from the
 * same objects, so the two cannot drift. Declare it in your feature's `*.schemas.ts`, add it to
 * `api/openapi/registry.ts`, and call `parse` in the route (docs/analyst.md, "Adding an endpoint").
 */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call: `public`, or API-key roles. `session: 'read'` also lets a signed-in UI user with
 * one of the roles GET it (api/analyst/access.ts); `session: 'admin'` is the Prometheus case.
 */
export type EndpointAuth = 'public' | { roles: readonly ApiRole[]; session?: 'read' };

export interface ResponseSpec {
  description: string;
  /** JSON answer (application/json). */
  schema?: z.ZodType;
  /** Other media types: a schema, or 'binary' / 'text' for bodies that are not JSON. */
  content?: Record<string, z.ZodType | 'binary' | 'text'>;
}

export interface EndpointSpec {
  method: HttpMethod;
  /** Express syntax (`/v1/reports/:id`); the document writes `{id}`. */
  path: string;
  summary: string;
  description?: string;
  /** The feature this belongs to; groups the documentation. */
  tag: string;
  auth: EndpointAuth;
  /** Path parameters: an object with one key per `:name`. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers, documented (routes on the hot path check them by hand). */
  headers?: z.ZodObject;
  /** A JSON body, validated by `parse`. */
  body?: z.ZodType;
  /** Request bodies that are not (only) JSON: media type → schema, or 'binary'. Documented only. */
  requestContent?: Record<string, z.ZodType | 'binary'>;
  /** Success answers (and documented error statuses beyond the defaults), by status code. */
  responses: Record<number, ResponseSpec | string>;
  /** Rate-limited (adds 429 to the documented answers). */
  rateLimited?: boolean;
}

type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

export interface Endpoint<S extends EndpointSpec = EndpointSpec> {
  readonly spec: S;
  readonly method: S['method'];
  readonly path: S['path'];
  /** Validates path parameters, query and JSON body; a bad one is a 400 naming it. */
  parse(req: Pick<Request, 'params' | 'query' | 'body'>): { params: Out<S['params']>; query: Out<S['query']>; body: Out<S['body']> };
}

export function defineEndpoint<const S extends EndpointSpec>(spec: S): Endpoint<S> {
  return {
    spec,
    method: spec.method,
    path: spec.path,
    parse(req) {
      const problems: Problem[] = [];
      const params = spec.params ? check(spec.params, req.params ?? {}, 'path', problems) : {};
      const query = spec.query ? check(spec.query, req.query ?? {}, 'query', problems) : {};
      const body = spec.body ? check(spec.body, req.body, 'body', problems) : {};
      if (problems.length) throw invalid(problems);
      return { params, query, body } as ReturnType<Endpoint<S>['parse']>;
    },
  };
}

export interface Problem {
  /** The parameter or field (`q`, `id`, `items.3.ip`; `body` for the body as a whole). */
  field: string;
  in: 'path' | 'query' | 'body';
  message: string;
}

function check(schema: z.ZodType, input: unknown, where: Problem['in'], problems: Problem[]): unknown {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  for (const i of parsed.error.issues.slice(0, 20)) problems.push({ field: i.path.join('.') || where, in: where, message: i.message });
  return undefined;
}

const WHERE: Record<Problem['in'], string> = { path: 'path parameter', query: 'query parameter', body: 'field' };

/** The 400 for bad input: `detail` names each parameter, `details.problems` lists them. */
export function invalid(problems: Problem[]): AppError {
  const text = problems.map((p) => `${WHERE[p.in]} ${p.field}: ${p.message}`).join('; ');
  return new AppError('validation_failed', `invalid ${text}`, { problems });
}

/** Validates one input with a schema outside an endpoint (a UI page, a helper). */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown, where: Problem['in']): z.output<S> {
  const problems: Problem[] = [];
  const out = check(schema, input, where, problems);
  if (problems.length) throw invalid(problems);
  return out as z.output<S>;
}
