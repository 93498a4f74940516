import { z } from 'zod';
import { defineEndpoint } from '../openapi/endpoint.ts';
import { bodyText, queryInt, tenantId } from '../edge/params.ts';

/** Request and response schemas of the notification endpoints (docs/notifications.md); the OpenAPI paths use them too. */

export const tenantIdParam = z.object({ id: tenantId.describe('tenant id from the tenancy file') });
export const notificationIdParam = z.object({ id: z.uuid() });
export const answerIdParam = z.object({ id: z.string().regex(/^\d{1,18}$/, 'must be an answer id') });

export const notifyBody = z.object({
  reportIds: z.array(z.uuid()).min(1).max(100).describe('reports attributed to this tenant'),
});

export const pauseBody = z.object({ reason: bodyText(1000, 0).optional() });

export const notificationListQuery = z.object({
  status: z.enum(['queued', 'sent', 'failed', 'held']).optional(),
  tenant: tenantId.optional(),
  limit: queryInt(1, 500, 100),
});

export const answersQuery = z.object({
  open: z.enum(['true', 'false']).default('true').describe('true: disputed answers no analyst has reviewed yet'),
});

export const reviewBody = z.object({ note: bodyText(2000) });

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
  channel: z.enum(['arf', 'digest', 'fbl']),
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

// ---- the endpoints, for api/openapi/registry.ts (notifications.routes.ts validates with the schemas above) ----

const analyst = { roles: ['analyst', 'admin'] } as const;
const tag = 'notifications';

export const notificationEndpoints = [
  defineEndpoint({
    method: 'get', path: '/v1/tenants/:id/notifications', tag, auth: analyst, summary: 'Notifications of a tenant, with answers and the pause state',
    params: tenantIdParam, responses: { 200: { description: 'the notifications', schema: tenantNotifications } },
  }),
  defineEndpoint({
    method: 'post', path: '/v1/tenants/:id/notify', tag, auth: analyst, summary: 'Notify now: one ARF per report (a digest for a digest tenant)',
    params: tenantIdParam, body: notifyBody, responses: { 202: { description: 'queued', schema: notifyResult } },
  }),
  ...(['pause', 'resume'] as const).map((action) => defineEndpoint({
    method: 'post', path: `/v1/tenants/:id/notifications/${action}`, tag, auth: analyst, summary: `${action === 'pause' ? 'Pause' : 'Resume'} a tenant's notifications`,
    params: tenantIdParam, body: pauseBody,
    responses: { 200: { description: 'the new state', schema: z.object({ tenant: z.string(), paused: z.boolean() }) } },
  })),
  defineEndpoint({
    method: 'get', path: '/v1/notifications', tag, auth: analyst, summary: 'Notifications (e.g. the failed ones)',
    query: notificationListQuery, responses: { 200: { description: 'the notifications', schema: notificationList } },
  }),
  defineEndpoint({
    method: 'get', path: '/v1/reports/:id/notifications', tag, auth: analyst, summary: 'Notifications and answers about one report',
    params: notificationIdParam, responses: { 200: { description: 'the notifications', schema: notificationList } },
  }),
  defineEndpoint({
    method: 'post', path: '/v1/notifications/:id/retry', tag, auth: analyst, summary: 'Send a failed or held notification again',
    params: notificationIdParam,
    responses: { 202: { description: 'queued again', schema: z.object({ id: z.uuid(), status: z.literal('queued') }) }, 409: 'no such notification, or not failed or held' },
  }),
  defineEndpoint({
    method: 'get', path: '/v1/notification-answers', tag, auth: analyst, summary: 'Tenants\' answers; by default the disputed ones nobody reviewed',
    query: answersQuery, responses: { 200: { description: 'the answers', schema: answerList } },
  }),
  defineEndpoint({
    method: 'post', path: '/v1/notification-answers/:id/review', tag, auth: analyst, summary: 'Mark an answer reviewed, with a note',
    params: answerIdParam, body: reviewBody,
    responses: { 200: { description: 'reviewed', schema: z.object({ id: z.string(), reviewed: z.literal(true) }) }, 404: 'no unreviewed answer with this id' },
  }),
];
