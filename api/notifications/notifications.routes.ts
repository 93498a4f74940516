import express, { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { validate } from '../analyst/validate.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { returningRows } from '../../shared/db/returning-rows.ts';
import * as s from './notifications.schemas.ts';
import { listAnswers, listNotifications } from './notification-views.ts';
import { notifyNow } from './manual-notify.ts';

/**
 * Analysts' side of tenant notifications (docs/notifications.md): what was sent to a tenant and
 * what it answered, "notify now", pause/resume, failed notifications and their re-drive, and the
 * queue of disputed answers.
 */
export function notificationRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const analyst = auth.require('analyst', 'admin');
  const body = express.json({ limit: '64kb' });

  router.get('/v1/tenants/:id/notifications', analyst, async (req, res) => {
    const { id } = validate(s.tenantIdParam, req.params, 'path');
    const [state]: { paused_at: Date | null }[] = await ctx.ds.query(`SELECT paused_at FROM notify_state WHERE tenant_id = $1`, [id]);
    res.json({ tenant: id, paused: Boolean(state?.paused_at), pausedAt: state?.paused_at?.toISOString() ?? null, notifications: await listNotifications(ctx.ds, 'n.tenant_id = $1', [id]) });
  });

  router.post('/v1/tenants/:id/notify', analyst, body, async (req, res) => {
    const { id } = validate(s.tenantIdParam, req.params, 'path');
    const { reportIds } = validate(s.notifyBody, req.body, 'body');
    const ids = await notifyNow(ctx.ds, id, reportIds);
    res.status(202).json({ notifications: ids });
  });

  for (const action of ['pause', 'resume'] as const) {
    router.post(`/v1/tenants/:id/notifications/${action}`, analyst, body, async (req, res) => {
      const { id } = validate(s.tenantIdParam, req.params, 'path');
      validate(s.pauseBody, req.body ?? {}, 'body');
      const by = `analyst:${req.principal!.id}`;
      await ctx.ds.query(
        `INSERT INTO notify_state (tenant_id, paused_at, paused_by) VALUES ($1, ${action === 'pause' ? 'now()' : 'NULL'}, $2)
         ON CONFLICT (tenant_id) DO UPDATE SET paused_at = EXCLUDED.paused_at, paused_by = EXCLUDED.paused_by`,
        [id, by],
      );
      res.json({ tenant: id, paused: action === 'pause' });
    });
  }

  router.get('/v1/notifications', analyst, async (req, res) => {
    const q = validate(s.notificationListQuery, req.query);
    const where: string[] = ['true'];
    const params: unknown[] = [];
    if (q.status) where.push(`n.status = $${params.push(q.status)}`);
    if (q.tenant) where.push(`n.tenant_id = $${params.push(q.tenant)}`);
    res.json({ notifications: await listNotifications(ctx.ds, where.join(' AND '), params, q.limit) });
  });

  router.get('/v1/reports/:id/notifications', analyst, async (req, res) => {
    const { id } = validate(s.notificationIdParam, req.params, 'path');
    res.json({ notifications: await listNotifications(ctx.ds, '$1::uuid = ANY(n.report_ids)', [id]) });
  });

  // A failed (or held) notification is sent again: attempts start over, and a new generation gives
  // the mail a new Message-ID. A held one is taken out of the next digest it was waiting for.
  router.post('/v1/notifications/:id/retry', analyst, async (req, res) => {
    const { id } = validate(s.notificationIdParam, req.params, 'path');
    const rows = await ctx.ds.transaction(async (em) => {
      const updated = returningRows<{ id: string }>(await em.query(
        `UPDATE notifications SET status = 'queued', attempts = 0, generation = generation + 1, last_error = NULL, trigger = 'manual'
          WHERE id = $1 AND status IN ('failed', 'held') RETURNING id`,
        [id],
      ));
      if (updated.length) await em.query(`UPDATE notification_items SET notification_id = $1, held = false WHERE report_id IN (SELECT unnest(report_ids) FROM notifications WHERE id = $1) AND notification_id IS NULL AND tenant_id = (SELECT tenant_id FROM notifications WHERE id = $1)`, [id]);
      return updated;
    });
    if (rows.length === 0) throw new AppError('conflict', `notification ${id} does not exist or is not failed or held`);
    await ctx.outbox?.redriveNotification(id).catch((err: Error) => ctx.log.warn({ err: err.message }, 'notification re-drive not queued; the sweep will'));
    res.status(202).json({ id, status: 'queued' });
  });

  router.get('/v1/notification-answers', analyst, async (req, res) => {
    const q = validate(s.answersQuery, req.query);
    res.json({ answers: await listAnswers(ctx.ds, q.open === 'true') });
  });

  router.post('/v1/notification-answers/:id/review', analyst, body, async (req, res) => {
    const { id } = validate(s.answerIdParam, req.params, 'path');
    const { note } = validate(s.reviewBody, req.body, 'body');
    const rows = returningRows<{ id: string }>(await ctx.ds.query(
      `UPDATE notification_answers SET reviewed_at = now(), reviewed_by = $2, review_note = $3 WHERE id = $1 AND reviewed_at IS NULL RETURNING id`,
      [id, `analyst:${req.principal!.id}`, note],
    ));
    if (rows.length === 0) throw new AppError('not_found', `no unreviewed answer ${id}`);
    res.json({ id, reviewed: true });
  });
  return router;
}
