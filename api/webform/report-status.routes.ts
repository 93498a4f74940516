import { Router, type ErrorRequestHandler, type Response } from 'express';
import type { ApiContext } from '../context.ts';
import { html } from '../web/html.ts';
import { redisRateLimit } from '../middleware/rate-limit.ts';
import { isAppError } from '../../shared/errors/app-error.ts';
import { uuid } from '../edge/params.ts';
import { publicPage, reportWords, type PageLocale } from './report-form.view.ts';
import { reporterOutcome, type StatusRow } from './reporter-outcome.ts';
import { pageLocale } from './page-locale.ts';

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
    const locale = pageLocale(req, res);
    const t = reportWords(locale);
    const parsed = uuid.safeParse(req.params.id);
    if (!parsed.success) return send(res, 400, messagePage(locale, 'badId'));
    const rows: (StatusRow & { received_at: Date; processed_at: Date | null })[] = await ctx.ds.query(
      `SELECT s.status, s.error, s.received_at, s.processed_at,
              coalesce((SELECT array_agg(r.direction ORDER BY r.idx) FROM reports r WHERE r.submission_id = s.id), '{}') AS directions
         FROM submissions s WHERE s.id = $1 AND s.channel IN ('webform', 'api')`,
      [parsed.data.toLowerCase()],
    );
    const row = rows[0];
    if (!row) return send(res, 404, messagePage(locale, 'unknown'));
    const outcome = reporterOutcome(row, t);
    send(res, 200, publicPage(t('status.title'), html`<h1>${t('status.title')}</h1>
<p class="muted">${t('status.trackingId')} <code>${parsed.data.toLowerCase()}</code></p>
<ol class="steps card" id="status" data-step="${outcome.step}">
<li class="done">${t('status.received')} <span class="muted">${fmtInstant(row.received_at)}</span></li>
<li class="${outcome.step === 'received' ? 'pending' : outcome.step === 'failed' ? 'failed' : 'done'}">${t(outcome.step === 'received' ? 'status.notYet' : outcome.step === 'failed' ? 'status.stuck' : 'status.processed')}
${row.processed_at && outcome.step === 'processed' ? html` <span class="muted">${fmtInstant(row.processed_at)}</span>` : ''}</li>
</ol>
<section class="card"><h2>${t('status.whatHappened')}</h2><p id="outcome">${outcome.text}</p></section>
<p><a href="/report/status/${parsed.data.toLowerCase()}">${t('status.checkAgain')}</a> · <a href="/report">${t('status.another')}</a></p>`, locale));
  });

  // Its own error pages: the form's say "your report was not stored", which is not what happened here.
  const errors: ErrorRequestHandler = (err, req, res, _next) => {
    if (res.headersSent) return void req.socket.destroy();
    const locale = pageLocale(req, res);
    if (isAppError(err) && err.code === 'rate_limited') {
      res.set('Retry-After', String(err.details.retryAfter ?? 60));
      return send(res, 429, messagePage(locale, 'slowDown'));
    }
    if (err instanceof URIError) return send(res, 400, messagePage(locale, 'badId'));
    if (!isAppError(err)) ctx.log.error({ err }, 'report status page failed');
    send(res, isAppError(err) ? err.status : 500, messagePage(locale, 'unavailable'));
  };
  router.use('/report/status', errors);
  return router;
}

/** An instant for people: `2026-11-27 14:03 UTC` (the page has no script to localise it). */
function fmtInstant(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A page that only says what went wrong: `status.<what>Title` and `status.<what>`. */
function messagePage(locale: PageLocale, what: 'badId' | 'unknown' | 'slowDown' | 'unavailable'): string {
  const t = reportWords(locale);
  const title = t(`status.${what}Title`);
  return publicPage(title, html`<h1>${title}</h1><div class="errors" role="alert"><p>${t(`status.${what}`)}</p></div><p><a href="/report">${t('status.another')}</a></p>`, locale);
}
