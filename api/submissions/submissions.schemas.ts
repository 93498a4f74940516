import { z } from 'zod';
import { CHANNELS, SUBMISSION_STATUSES } from '../../shared/db/entities/submission.entity.ts';
import { defineEndpoint } from '../openapi/endpoint.ts';
import { uuid } from '../edge/params.ts';
import { TRUST_LEVELS } from '../../shared/trust/reporter-trust.ts';

/** The JSON shapes of views.ts, and the two by-id endpoints (submissions and reports). */
export const idParam = z.object({ id: uuid });

export const submissionSchema = z.object({
  id: z.uuid(),
  channel: z.enum(CHANNELS),
  status: z.enum(SUBMISSION_STATUSES),
  receivedAt: z.string(),
  processedAt: z.string().nullable(),
  reporter: z.string().nullable().describe('pseudonymised after PSEUDONYMISE_DAYS'),
  envelopeFrom: z.string().nullable(),
  envelopeTo: z.array(z.string()).nullable(),
  clientIp: z.string().nullable(),
  category: z.string().nullable(),
  description: z.string().nullable(),
  sizeBytes: z.number().int(),
  rawSha256: z.string().nullable().describe('null once retention removed the raw message'),
  error: z.string().nullable(),
  reporterTrust: z.enum(TRUST_LEVELS).describe('what the intake channel vouched for (docs/reputation.md, "Reporter trust")'),
  feedbackLoop: z.string().nullable().describe('the feedback loop the channel was bound to'),
});

export const reportSchema = z.object({
  id: z.uuid(),
  submissionId: z.uuid(),
  index: z.number().int(),
  receivedAt: z.string(),
  channel: z.string(),
  reporter: z.string().nullable(),
  kind: z.string(),
  subject: z.string().nullable(),
  from: z.string().nullable(),
  fromDomain: z.string().nullable(),
  messageId: z.string().nullable(),
  date: z.string().nullable(),
  direction: z.enum(['outbound', 'inbound', 'foreign', 'unknown']),
  relayIp: z.string().nullable(),
  originatingIp: z.string().nullable(),
  viaPlatform: z.boolean(),
  tenant: z.string().nullable(),
  recipientTenant: z.string().nullable(),
  tenantConfidence: z.string().nullable(),
  conflict: z.boolean(),
  feedbackType: z.string().nullable(),
  reporterTrust: z.enum(TRUST_LEVELS).describe('below REPUTATION_MIN_TRUST the report is unverified and moves no reputation'),
  arf: z.record(z.string(), z.unknown()).nullable().describe('ARF / X-ARF fields'),
  receivedChain: z.array(z.unknown()),
  hops: z.array(z.unknown()).describe('parsed Received hops, newest first'),
  decidingHop: z.number().int().nullable().describe('index into hops of the hop that ended the walk'),
  evidence: z.array(z.string()).describe('the evidence trail, one line per step'),
  campaignId: z.string().nullable().describe('the campaign of the report (docs/campaigns.md); null when its content could not be judged'),
});

const analyst = { roles: ['analyst', 'admin'] } as const;

export const getSubmissionEndpoint = defineEndpoint({
  method: 'get', path: '/v1/submissions/:id', tag: 'reports', auth: analyst,
  summary: 'A submission: its status and the reports found in it',
  params: idParam,
  responses: { 200: { description: 'the submission', schema: submissionSchema.extend({ reports: z.array(reportSchema) }) }, 404: 'no such submission' },
});

export const getReportEndpoint = defineEndpoint({
  method: 'get', path: '/v1/reports/:id', tag: 'reports', auth: analyst,
  summary: 'One report with its evidence trail, hops and ARF fields',
  params: idParam,
  responses: { 200: { description: 'the report', schema: reportSchema }, 404: 'no such report' },
});
