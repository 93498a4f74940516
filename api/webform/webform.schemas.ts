import { z } from 'zod';
import { SUBMISSION_STATUSES } from '../../shared/db/entities/submission.entity.ts';
import { defineEndpoint } from '../openapi/endpoint.ts';
import { reportFields } from './report-input.ts';

/** POST /v1/reports: the form's fields (report-input.ts validates them) plus the message, as JSON or multipart. */
export const reportsApiJsonBody = reportFields().extend({
  message: z.string().optional().describe('the message source or its headers, as text'),
  messageBase64: z.string().optional().describe('the .eml file, base64 (instead of message)'),
});

const reportsApiMultipartBody = reportFields().extend({
  message: z.string().describe('the .eml file (file part named message), or the pasted source as a field named source'),
  _csrf: z.string().describe('the report form\'s CSRF token (with its cookie, from GET /report): multipart is for the form only'),
});

export const reportsApiEndpoint = defineEndpoint({
  method: 'post', path: '/v1/reports', tag: 'intake', auth: 'public', rateLimited: true,
  summary: 'Report a message like the web form does (for a "Report junk" button or a support tool)',
  description: 'Public and rate-limited per client IP and per reporter address, with bounded bytes in flight per client IP and per process. Exactly one of message / messageBase64 (JSON, at most base64 of MAX_MESSAGE_BYTES + 64 KiB) or the file / source (multipart, only with the report form\'s CSRF token and cookie).',
  requestContent: { 'application/json': reportsApiJsonBody, 'multipart/form-data': reportsApiMultipartBody },
  responses: {
    202: {
      description: 'stored and queued; the id is the reporter\'s tracking id (status page: /report/status/{id})',
      schema: z.object({
        id: z.uuid(), status: z.enum(SUBMISSION_STATUSES),
        reporterTrust: z.literal('anonymous').describe('until the reporter confirms through the mailed link (docs/reputation.md, "Reporter trust")'),
        confirmation: z.object({
          mailed: z.boolean(), to: z.string(), expiresAt: z.string().nullable().describe('when the single-use link stops working'),
          reason: z.string().nullable().describe('why no link was mailed (mail limits, no relay)'),
        }),
      }),
    },
    403: 'multipart without the report form\'s CSRF token and cookie (a cross-site post)',
    411: 'no Content-Length',
    413: 'larger than MAX_MESSAGE_BYTES (JSON: than its base64 + 64 KiB)',
    415: 'neither application/json nor multipart/form-data',
    503: 'the backlog is above INTAKE_HIGH_WATER, Postgres is unreachable, or the process holds PUBLIC_INFLIGHT_BYTES already; retry after Retry-After',
  },
});
