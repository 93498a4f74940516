import { z } from 'zod';
import { defineEndpoint } from './endpoint.ts';

export const openApiEndpoint = defineEndpoint({
  method: 'get', path: '/openapi.json', tag: 'operations', auth: 'public',
  summary: 'This document (OpenAPI 3.1); /docs renders it',
  responses: { 200: { description: 'the OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
});

/** RFC 9457 problem details: every error answer of the JSON API (api/middleware/problem.ts). */
export const problemSchema = z.object({
  type: z.string().describe('about:blank#<code>'),
  title: z.string().describe('the stable error code (docs/errors.md)'),
  status: z.number().int(),
  detail: z.string().describe('what to change; names each invalid parameter'),
  details: z.object({
    problems: z.array(z.object({
      field: z.string().describe('the parameter or field'),
      in: z.enum(['path', 'query', 'body']),
      message: z.string(),
    })).optional().describe('validation_failed: one entry per invalid parameter'),
  }).catchall(z.unknown()).optional(),
});
