import { z } from 'zod';
import { TRIAGE_STATUSES, TRIAGE_SUBJECTS } from '../../shared/triage/triage-status.ts';
import { defineEndpoint } from '../openapi/endpoint.ts';
import { bodyText, normalizeIp, tenantId, urlText } from '../edge/params.ts';

/** Request and response schemas of the triage endpoints (campaigns, IPs, tenants); OpenAPI is built from them. */

/** The key must fit its kind: a campaign id, one IP address (no range, no zone id), a tenant id. */
export const triageParams = z
  .object({
    kind: z.enum(TRIAGE_SUBJECTS),
    key: urlText(100).describe('campaign id (digits), IP address or tenant id'),
  })
  .superRefine((p, ctx) => {
    const bad = (message: string) => ctx.addIssue({ code: 'custom', path: ['key'], message });
    if (p.kind === 'campaign' && !/^\d{1,18}$/.test(p.key)) bad('must be a campaign id (digits)');
    if (p.kind === 'ip' && normalizeIp(p.key) === null) bad('must be one IPv4 or IPv6 address (no range, no zone id)');
    if (p.kind === 'tenant' && !tenantId.safeParse(p.key).success) bad('must be a tenant id (letters, digits, . _ -)');
  });

export const triageChangeBody = z
  .object({
    status: z.enum(TRIAGE_STATUSES).optional().describe('new → investigating → actioned | false-positive; a closed case may go back to investigating'),
    assignee: bodyText(200).nullable().optional().describe('who works the case; null unassigns'),
    note: bodyText(5000).optional().describe('a note, kept with author and time'),
  })
  .strict()
  .refine((b) => b.status !== undefined || b.assignee !== undefined || b.note !== undefined, 'give status, assignee or note');

export const triageCase = z.object({
  kind: z.enum(TRIAGE_SUBJECTS),
  key: z.string(),
  status: z.enum(TRIAGE_STATUSES),
  assignee: z.string().nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  notes: z.array(z.object({ author: z.string(), at: z.string(), text: z.string() })),
  audit: z.array(z.object({ actor: z.string(), at: z.string(), action: z.string(), detail: z.record(z.string(), z.unknown()) })),
});

// ---- the endpoints, for api/openapi/registry.ts (triage.routes.ts validates with them) ----

export const getTriageEndpoint = defineEndpoint({
  method: 'get', path: '/v1/triage/:kind/:key', tag: 'triage', auth: { roles: ['analyst', 'admin'], session: 'read' },
  summary: 'Triage case of a campaign, IP or tenant: status, assignee, notes, audit trail',
  params: triageParams,
  responses: { 200: { description: 'the case (status new when never triaged)', schema: triageCase }, 404: 'no such campaign or tenant' },
});

export const changeTriageEndpoint = defineEndpoint({
  method: 'post', path: '/v1/triage/:kind/:key', tag: 'triage', auth: { roles: ['analyst', 'admin'] },
  summary: 'Change status (new → investigating → actioned | false-positive), assignee, or add a note (audited)',
  params: triageParams, body: triageChangeBody,
  responses: { 200: { description: 'the case after the change', schema: triageCase }, 404: 'no such campaign or tenant', 409: 'a transition the rule forbids, or a merged campaign' },
});

export const triageEndpoints = [getTriageEndpoint, changeTriageEndpoint];
