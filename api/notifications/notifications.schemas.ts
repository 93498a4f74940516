import { z } from 'zod';

/** Request and response schemas of the notification endpoints (docs/notifications.md); the OpenAPI paths use them too. */

export const tenantIdParam = z.object({ id: z.string().min(1).max(100).describe('tenant id from the tenancy file') });
export const notificationIdParam = z.object({ id: z.uuid() });
export const answerIdParam = z.object({ id: z.string().regex(/^\d{1,18}$/, 'must be an answer id') });

export const notifyBody = z.object({
  reportIds: z.array(z.uuid()).min(1).max(100).describe('reports attributed to this tenant'),
});

export const pauseBody = z.object({ reason: z.string().trim().max(1000).optional() });

export const notificationListQuery = z.object({
  status: z.enum(['queued', 'sent', 'failed', 'held']).optional(),
  tenant: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const answersQuery = z.object({
  open: z.enum(['true', 'false']).default('true').describe('true: disputed answers no analyst has reviewed yet'),
});

export const reviewBody = z.object({ note: z.string().trim().min(1).max(2000) });

export const answer = z.object({
  id: z.string(),
  notificationId: z.uuid(),
  tenant: z.string().nullable(),
  answer: z.enum(['resolved', 'investigating', 'disputed']),
  comment: z.string(),
  at: z.string(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewNote: z.string().nullable(),
});

export const notification = z.object({
  id: z.uuid(),
  tenant: z.string().nullable(),
  channel: z.enum(['arf', 'digest']),
  trigger: z.enum(['auto', 'manual']),
  recipients: z.array(z.string()),
  reportIds: z.array(z.uuid()),
  status: z.enum(['queued', 'sent', 'failed', 'held']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  messageId: z.string().nullable(),
  heldCount: z.number(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  answers: z.array(answer),
});

export const notificationList = z.object({ notifications: z.array(notification) });
export const tenantNotifications = z.object({ tenant: z.string(), paused: z.boolean(), pausedAt: z.string().nullable(), notifications: z.array(notification) });
export const notifyResult = z.object({ notifications: z.array(z.uuid()) });
export const answerList = z.object({ answers: z.array(answer) });
