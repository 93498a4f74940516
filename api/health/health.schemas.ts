import { z } from 'zod';
import { defineEndpoint } from '../openapi/endpoint.ts';

export const healthEndpoint = defineEndpoint({
  method: 'get', path: '/healthz', tag: 'operations', auth: 'public',
  summary: 'The process answers',
  responses: { 200: { description: 'up', schema: z.object({ status: z.literal('ok') }) } },
});

const readiness = z.object({
  status: z.enum(['ready', 'not ready']),
  postgres: z.string().describe('ok, migrations pending, or down: …'),
  redis: z.string().describe('ok or down: …'),
});

export const readyEndpoint = defineEndpoint({
  method: 'get', path: '/readyz', tag: 'operations', auth: 'public',
  summary: 'Postgres and Redis answer and the schema is current',
  responses: { 200: { description: 'ready', schema: readiness }, 503: { description: 'not ready', schema: readiness } },
});
