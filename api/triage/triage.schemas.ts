import { z } from 'zod';
import { TRIAGE_STATUSES, TRIAGE_SUBJECTS } from '../../shared/triage/triage-status.ts';

/** Request and response schemas of the triage endpoints (campaigns, IPs, tenants); OpenAPI is built from them. */

export const triageParams = z.object({
  kind: z.enum(TRIAGE_SUBJECTS),
  key: z.string().min(1).max(100).describe('campaign id, IP address or tenant id'),
});

export const triageChangeBody = z
  .object({
    status: z.enum(TRIAGE_STATUSES).optional().describe('new → investigating → actioned | false-positive; a closed case may go back to investigating'),
    assignee: z.string().trim().min(1).max(200).nullable().optional().describe('who works the case; null unassigns'),
    note: z.string().trim().min(1).max(5000).optional().describe('a note, kept with author and time'),
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
