import { z } from 'zod';
import { SUBSCRIBABLE_EVENTS } from '../../shared/webhooks/events.ts';

/** Request and response schemas of /v1/webhooks (docs/notifications.md); the OpenAPI paths use them too. */

export const webhookIdParam = z.object({ id: z.uuid() });

export const createWebhookBody = z.object({
  url: z.string().min(8).max(2000).describe('http(s) URL; must resolve to a public address'),
  events: z.array(z.enum(SUBSCRIBABLE_EVENTS as [string, ...string[]])).min(1).max(SUBSCRIBABLE_EVENTS.length),
  description: z.string().trim().max(500).default(''),
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

export const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

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
