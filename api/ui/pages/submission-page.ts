import type { Request, Response } from 'express';
import type { ApiContext } from '../../context.ts';
import { html } from '../../web/html.ts';
import type { CsrfKit } from '../csrf.ts';
import { fmtTime, sendPage } from '../page.ts';

/**
 * `/ui/reports/:id` when the id is a submission's (the tracking id a reporter quotes, or an intake
 * answer's id): one report → that report; several → the list; none (discarded, failed, waiting) →
 * the submission itself. Returns false when no submission has this id either.
 */
export async function submissionFallback(ctx: ApiContext, csrf: CsrfKit, req: Request, res: Response, id: string): Promise<boolean> {
  const [s]: { id: string; channel: string; status: string; received_at: Date; processed_at: Date | null; category: string | null;
    description: string | null; error: string | null; reports: string[] }[] = await ctx.ds.query(
    `SELECT s.id, s.channel, s.status, s.received_at, s.processed_at, s.category, s.description, s.error,
            coalesce((SELECT array_agg(r.id ORDER BY r.idx) FROM reports r WHERE r.submission_id = s.id), '{}') AS reports
       FROM submissions s WHERE s.id = $1`,
    [id],
  );
  if (!s) return false;
  if (s.reports.length === 1) {
    res.redirect(303, `/ui/reports/${s.reports[0]}`);
    return true;
  }
  if (s.reports.length > 1) {
    res.redirect(303, `/ui/reports?q=${s.id}`);
    return true;
  }
  sendPage(req, res, csrf, 'Submission', html`
<p class="crumbs"><a href="/ui/reports">Reports</a> ›</p>
<h1>Submission <span class="mono">${s.id}</span></h1>
<section class="card"><dl class="kv">
<dt>Status</dt><dd id="submission-status">${s.status}</dd>
<dt>Channel</dt><dd>${s.channel}</dd>
<dt>Received</dt><dd>${fmtTime(s.received_at)}</dd>
<dt>Processed</dt><dd>${s.processed_at ? fmtTime(s.processed_at) : html`<span class="muted">not yet</span>`}</dd>
${s.category ? html`<dt>Category</dt><dd>${s.category}</dd>` : ''}
${s.description ? html`<dt>Description</dt><dd>${s.description}</dd>` : ''}
${s.error ? html`<dt>Why no report</dt><dd class="mono">${s.error}</dd>` : ''}
</dl><p class="muted">No report was made from this submission.</p></section>`);
  return true;
}
