import { z } from 'zod';
import { SUBMISSION_STATUSES } from '../../shared/db/entities/submission.entity.ts';
import { defineEndpoint } from '../openapi/endpoint.ts';

/** Documented only: the hot path checks these two headers itself (intake.routes.ts) without building a zod object. */
export const intakeHeaders = z.object({
  'x-reporter': z.string().max(320).optional().describe('the envelope sender (the reporter), one email address'),
  'idempotency-key': z.string().min(1).max(200).optional().describe('a retry with the same key answers with the first submission'),
});

export const acceptedSchema = z.object({
  id: z.uuid().describe('the submission id (GET /v1/submissions/{id})'),
  status: z.enum(SUBMISSION_STATUSES),
  duplicate: z.boolean().describe('true when the Idempotency-Key was seen before'),
});

export const intakeEndpoint = defineEndpoint({
  method: 'post', path: '/v1/intake/email', tag: 'intake', auth: { roles: ['intake', 'admin'] },
  summary: 'Submit one raw RFC 822 message (MTA pipe, inbound-mail webhook)',
  description: 'Answers 202 only after the message is durable in Postgres. Above the queue high-water mark: 503 with Retry-After.',
  headers: intakeHeaders,
  requestContent: { 'message/rfc822': 'binary' },
  responses: {
    202: { description: 'stored and queued', schema: acceptedSchema },
    413: 'larger than MAX_MESSAGE_BYTES',
    415: 'not Content-Type: message/rfc822',
    503: 'Postgres unreachable or the backlog is above INTAKE_HIGH_WATER; retry after Retry-After',
  },
});
