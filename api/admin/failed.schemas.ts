import { z } from 'zod';
import { CHANNELS } from '../../shared/db/entities/submission.entity.ts';
import { defineEndpoint } from '../openapi/endpoint.ts';
import { isoTimestamp, queryInt } from '../edge/params.ts';
import { isFailedCursor } from './failed-cursor.ts';

export const failedQuery = z.object({
  limit: queryInt(1, 500, 50),
  cursor: z.string().max(200).refine(isFailedCursor, 'is not a cursor this API handed out').optional().describe('next of the previous page'),
  since: isoTimestamp.optional().describe('failed at or after'),
});

export const failedPage = z.object({
  items: z.array(z.object({
    id: z.uuid(),
    channel: z.enum(CHANNELS),
    category: z.string().nullable(),
    receivedAt: z.string(),
    failedAt: z.string(),
    sizeBytes: z.number().int(),
    error: z.string().nullable(),
    requeueable: z.boolean().describe('false when retention removed the raw message'),
  })),
  next: z.string().nullable(),
});

export const failedEndpoint = defineEndpoint({
  method: 'get', path: '/v1/admin/failed', tag: 'admin', auth: { roles: ['admin'] },
  summary: 'Failed submissions, most recently failed first, with the reason',
  query: failedQuery,
  responses: { 200: { description: 'one page', schema: failedPage } },
});
