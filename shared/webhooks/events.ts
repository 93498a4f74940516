import { z } from 'zod';

/**
 * Every event a webhook can subscribe to, with its payload schema (docs/notifications.md,
 * "Events"). Adding an event type is one line here; `recordEvent` checks payloads against it.
 */
export const WEBHOOK_EVENTS = {
  'report.processed': z.object({ reportId: z.string().uuid(), submissionId: z.string().uuid(), kind: z.string(), direction: z.string(), originatingIp: z.string().nullable(), relayIp: z.string().nullable(), tenant: z.string().nullable(), feedbackType: z.string().nullable() }),
  'report.attributed': z.object({ reportId: z.string().uuid(), tenant: z.string(), tenantConfidence: z.string().nullable(), originatingIp: z.string().nullable() }),
  'listing.created': z.object({ ip: z.string(), reasons: z.array(z.string()), actor: z.string(), at: z.string() }),
  'listing.removed': z.object({ ip: z.string(), action: z.string(), reason: z.string(), actor: z.string(), at: z.string() }),
  'tenant.flagged': z.object({ tenant: z.string(), score: z.number(), reasons: z.array(z.string()), at: z.string() }),
  // A campaign passed CAMPAIGN_ALERT_REPORTS reports within an hour (docs/campaigns.md); once per campaign.
  'campaign.detected': z.object({ campaignId: z.string(), reportsLastHour: z.number().int(), threshold: z.number().int(), firstSeen: z.string(), subject: z.string().nullable() }),
  'notification.answered': z.object({ notificationId: z.string().uuid(), tenant: z.string().nullable(), answer: z.enum(['resolved', 'investigating', 'disputed']), comment: z.string(), reportIds: z.array(z.string().uuid()), at: z.string() }),
  // Sent only by "send test event" to one subscription; not subscribable.
  'webhook.test': z.object({ subscriptionId: z.string().uuid(), at: z.string() }),
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export type WebhookPayload<T extends WebhookEventType> = z.input<(typeof WEBHOOK_EVENTS)[T]>;

/** The event types a subscription may name. */
export const SUBSCRIBABLE_EVENTS = (Object.keys(WEBHOOK_EVENTS) as WebhookEventType[]).filter((t) => t !== 'webhook.test');

/** The body we POST: Standard Webhooks' recommended envelope `{type, timestamp, data}`. */
export interface WebhookBody<T extends WebhookEventType = WebhookEventType> {
  type: T;
  timestamp: string;
  data: WebhookPayload<T>;
}
