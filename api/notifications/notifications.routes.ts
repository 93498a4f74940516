import express, { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { validate } from '../analyst/validate.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { returningRows } from '../../shared/db/returning-rows.ts';
import * as s from './notifications.schemas.ts';
import { listAnswers, listNotifications } from './notification-views.ts';
import { notifyNow } from './manual-notify.ts';
import { redriveNotification, setNotificationsPaused } from '../actions/notification-actions.ts';

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
      const { reason } = validate(s.pauseBody, req.body ?? {}, 'body');
      await setNotificationsPaused(ctx.ds, id, action === 'pause', reason || null, `analyst:${req.principal!.id}`);
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

  // A failed (or held) notification is sent again (api/actions/notification-actions.ts).
  router.post('/v1/notifications/:id/retry', analyst, async (req, res) => {
    const { id } = validate(s.notificationIdParam, req.params, 'path');
    await redriveNotification(ctx, id, null, `analyst:${req.principal!.id}`);
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
