import { z } from 'zod';
import { defineEndpoint } from '../openapi/endpoint.ts';
import { bodyText, queryInt } from '../edge/params.ts';
import { SUBSCRIBABLE_EVENTS } from '../../shared/webhooks/events.ts';

/** Request and response schemas of /v1/webhooks (docs/notifications.md); the OpenAPI paths use them too. */

export const webhookIdParam = z.object({ id: z.uuid() });

export const createWebhookBody = z.object({
  url: z.string().min(8).max(2000).regex(/^[^\u0000-\u001f\u007f\s]*$/, 'must be a URL without spaces or control characters')
    .describe('http(s) URL; must resolve to a public address'),
  events: z.array(z.enum(SUBSCRIBABLE_EVENTS as [string, ...string[]])).min(1).max(SUBSCRIBABLE_EVENTS.length),
  description: bodyText(500, 0).default(''),
});

export const webhook = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  consecutiveFailures: z.number(),
  createdAt: z.string(),
});

/** The only answer that carries the secret: it is never shown again. */
export const createdWebhook = webhook.extend({ secret: z.string().describe('Standard Webhooks signing secret (whsec_…); shown once') });
export const webhookList = z.object({ webhooks: z.array(webhook) });

export const deliveriesQuery = z.object({ limit: queryInt(1, 500, 100) });

export const delivery = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  webhookId: z.string().describe('the webhook-id header sent'),
  type: z.string(),
  status: z.enum(['queued', 'sent', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  responseMs: z.number().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export const deliveryList = z.object({ deliveries: z.array(delivery) });

// ---- the endpoints, for api/openapi/registry.ts (webhooks.routes.ts validates with the schemas above) ----

const admin = { roles: ['admin'] } as const;
const tag = 'webhooks';
const notFound = 'no webhook with this id';

export const webhookEndpoints = [
  defineEndpoint({
    method: 'post', path: '/v1/webhooks', tag, auth: admin, summary: 'Subscribe a URL to events; the answer carries the signing secret, once',
    body: createWebhookBody, responses: { 201: { description: 'subscribed', schema: createdWebhook } },
  }),
  defineEndpoint({ method: 'get', path: '/v1/webhooks', tag, auth: admin, summary: 'Webhook subscriptions', responses: { 200: { description: 'the subscriptions', schema: webhookList } } }),
  defineEndpoint({
    method: 'get', path: '/v1/webhooks/:id', tag, auth: admin, summary: 'One subscription', params: webhookIdParam,
    responses: { 200: { description: 'the subscription', schema: webhook }, 404: notFound },
  }),
  defineEndpoint({
    method: 'delete', path: '/v1/webhooks/:id', tag, auth: admin, summary: 'Delete a subscription', params: webhookIdParam,
    responses: { 204: 'deleted', 404: notFound },
  }),
  defineEndpoint({
    method: 'get', path: '/v1/webhooks/:id/deliveries', tag, auth: admin, summary: 'The delivery log of a subscription', params: webhookIdParam,
    query: deliveriesQuery, responses: { 200: { description: 'newest first', schema: deliveryList } },
  }),
  defineEndpoint({
    method: 'post', path: '/v1/webhooks/:id/test', tag, auth: admin, summary: 'Send a webhook.test event to this subscription', params: webhookIdParam,
    responses: { 202: { description: 'queued', schema: z.object({ deliveryId: z.uuid(), webhookId: z.string() }) }, 404: notFound },
  }),
  defineEndpoint({
    method: 'post', path: '/v1/webhooks/:id/enable', tag, auth: admin, summary: 'Re-enable after an automatic disable', params: webhookIdParam,
    responses: { 200: { description: 'enabled', schema: z.object({ id: z.uuid(), enabled: z.literal(true) }) }, 404: notFound },
  }),
];
