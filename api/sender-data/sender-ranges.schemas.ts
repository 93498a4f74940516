import { z } from 'zod';
import { defineEndpoint } from '../openapi/endpoint.ts';
import { bodyText, queryInt } from '../edge/params.ts';

/** The analysts' side of owner access requests (docs/sender-data.md). */

export const rangeIdParam = z.object({ id: z.uuid() });
export const rangeListQuery = z.object({
  status: z.enum(['pending', 'verified', 'rejected', 'all']).default('pending'),
  limit: queryInt(1, 500, 100),
});
export const decisionBody = z.object({ note: bodyText(1000, 0).optional() });

export const senderRange = z.object({
  id: z.uuid(),
  owner: z.string().describe('the owner\'s normalised address'),
  range: z.string().describe('CIDR'),
  status: z.enum(['pending', 'verified', 'rejected']),
  method: z.enum(['ptr', 'analyst']).nullable(),
  ptrDomains: z.array(z.string()).describe('registrable domains the sampled PTR records named when it was requested'),
  mailedTo: z.string().nullable().describe('the proof mailbox a link was last sent to'),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  note: z.string().nullable(),
});

const analyst = { roles: ['analyst', 'admin'] } as const;
const tag = 'sender-data';

export const senderRangeEndpoints = [
  defineEndpoint({
    method: 'get', path: '/v1/sender-ranges', tag, auth: analyst, summary: 'IP owners\' access requests (by default the pending ones)',
    query: rangeListQuery, responses: { 200: { description: 'the requests', schema: z.object({ ranges: z.array(senderRange) }) } },
  }),
  ...(['approve', 'reject'] as const).map((action) => defineEndpoint({
    method: 'post', path: `/v1/sender-ranges/:id/${action}`, tag, auth: analyst,
    summary: action === 'approve' ? 'Grant a pending range to its owner' : 'Refuse a pending range',
    params: rangeIdParam, body: decisionBody,
    responses: { 200: { description: 'decided', schema: senderRange }, 409: 'no such request, or already decided' },
  })),
];
