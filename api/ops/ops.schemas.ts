import { defineEndpoint } from '../openapi/endpoint.ts';

export const metricsEndpoint = defineEndpoint({
  method: 'get', path: '/metrics', tag: 'operations', auth: { roles: ['admin'], session: 'read' },
  summary: 'Prometheus metrics (text format) of this process',
  responses: { 200: { description: 'Prometheus exposition format', content: { 'text/plain': 'text' } } },
});
