import { Router, type ErrorRequestHandler, type Response } from 'express';
import type { ApiContext } from '../context.ts';
import { html } from '../web/html.ts';
import { redisRateLimit } from '../middleware/rate-limit.ts';
import { isAppError } from '../../shared/errors/app-error.ts';
import { uuid } from '../edge/params.ts';
import { publicPage } from './report-form.view.ts';
import { reporterOutcome, type StatusRow } from './reporter-outcome.ts';
import { STATUS } from './report-form.text.ts';

/**
 * `GET /report/status/:id`: the reporter's view of their report (the tracking id from the form or
 * POST /v1/reports). The id is a random UUID (122 random bits, crypto.randomUUID) that only the
 * reporter and analysts see, so it is the capability; a second token would add nothing a guesser
 * lacks. Guessing is still rate-limited, only public-channel submissions are shown (an MTA's or an
 * SMTP reporter's ids are not tracking ids), and the page says only what a reporter may know.
 */
export function reportStatusRoutes(ctx: ApiContext): Router {
  const router = Router();
  const limit = redisRateLimit({
    redis: ctx.redis, log: ctx.log, prefix: ctx.config.REDIS_PREFIX, name: 'report-status', windowMs: 10 * 60_000,
    // Plenty for a person, slow for anyone walking ids.
    limit: ctx.config.REPORT_STATUS_LIMIT_PER_IP,
  });
  const send = (res: Response, status: number, page: string) =>
    res.status(status).set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' }).type('html').send(page);

  router.get('/report/status/:id', limit, async (req, res) => {
    const parsed = uuid.safeParse(req.params.id);
    if (!parsed.success) return send(res, 400, messagePage(STATUS.badIdTitle, STATUS.badId));
    const rows: (StatusRow & { received_at: Date; processed_at: Date | null })[] = await ctx.ds.query(
      `SELECT s.status, s.error, s.received_at, s.processed_at,
              coalesce((SELECT array_agg(r.direction ORDER BY r.idx) FROM reports r WHERE r.submission_id = s.id), '{}') AS directions
         FROM submissions s WHERE s.id = $1 AND s.channel IN ('webform', 'api')`,
      [parsed.data.toLowerCase()],
    );
    const row = rows[0];
    if (!row) return send(res, 404, messagePage(STATUS.unknownTitle, STATUS.unknown));
    const outcome = reporterOutcome(row);
    send(res, 200, publicPage(STATUS.title, html`<h1>${STATUS.title}</h1>
<p class="muted">${STATUS.trackingId} <code>${parsed.data.toLowerCase()}</code></p>
<ol class="steps card" id="status" data-step="${outcome.step}">
<li class="done">${STATUS.received} <span class="muted">${fmtInstant(row.received_at)}</span></li>
<li class="${outcome.step === 'received' ? 'pending' : outcome.step === 'failed' ? 'failed' : 'done'}">${outcome.step === 'received' ? STATUS.notYet : outcome.step === 'failed' ? STATUS.stuck : STATUS.processed}
${row.processed_at && outcome.step === 'processed' ? html` <span class="muted">${fmtInstant(row.processed_at)}</span>` : ''}</li>
</ol>
<section class="card"><h2>${STATUS.whatHappened}</h2><p id="outcome">${outcome.text}</p></section>
<p><a href="/report/status/${parsed.data.toLowerCase()}">${STATUS.checkAgain}</a> · <a href="/report">${STATUS.another}</a></p>`));
  });

  // Its own error pages: the form's say "your report was not stored", which is not what happened here.
  const errors: ErrorRequestHandler = (err, req, res, _next) => {
    if (res.headersSent) return void req.socket.destroy();
    if (isAppError(err) && err.code === 'rate_limited') {
      res.set('Retry-After', String(err.details.retryAfter ?? 60));
      return send(res, 429, messagePage(STATUS.slowDownTitle, STATUS.slowDown));
    }
    if (err instanceof URIError) return send(res, 400, messagePage(STATUS.badIdTitle, STATUS.badId));
    if (!isAppError(err)) ctx.log.error({ err }, 'report status page failed');
    send(res, isAppError(err) ? err.status : 500, messagePage(STATUS.unavailableTitle, STATUS.unavailable));
  };
  router.use('/report/status', errors);
  return router;
}

/** An instant for people: `2026-11-27 14:03 UTC` (the page has no script to localise it). */
function fmtInstant(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function messagePage(title: string, text: string): string {
  return publicPage(title, html`<h1>${title}</h1><div class="errors" role="alert"><p>${text}</p></div><p><a href="/report">${STATUS.another}</a></p>`);
}
