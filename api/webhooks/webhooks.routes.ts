import { randomUUID } from 'node:crypto';
import express, { Router } from 'express';
import type { z } from 'zod';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { validate } from '../analyst/validate.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { returningRows } from '../../shared/db/returning-rows.ts';
import { checkWebhookUrl, WebhookUrlError } from '../../shared/webhooks/address-policy.ts';
import { newWebhookSecret, webhookMessageId } from '../../shared/webhooks/signing.ts';
import { dispatchAfterCommit } from '../../shared/webhooks/outbox-dispatch.ts';
import * as s from './webhooks.schemas.ts';

interface SubRow { id: string; url: string; events: string[]; description: string; enabled: boolean; disabled_reason: string | null; consecutive_failures: number; created_at: Date }

const view = (r: SubRow): z.infer<typeof s.webhook> => ({
  id: r.id, url: r.url, events: r.events, description: r.description, enabled: r.enabled, disabledReason: r.disabled_reason,
  consecutiveFailures: r.consecutive_failures, createdAt: r.created_at.toISOString(),
});
// The secret column is never selected here: only the creating answer shows it.
const COLUMNS = 'id, url, events, description, enabled, disabled_reason, consecutive_failures, created_at';

/**
 * Webhook subscriptions (admin): create (the signing secret is shown once), list, delete, the
 * delivery log, "send test event" and re-enable after an automatic disable. The URL's syntax is
 * checked here; its addresses are checked at every delivery (DNS can change).
 */
export function webhookRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const admin = auth.require('admin');
  const body = express.json({ limit: '16kb' });

  router.post('/v1/webhooks', admin, body, async (req, res) => {
    const b = validate(s.createWebhookBody, req.body, 'body');
    try {
      checkWebhookUrl(b.url);
    } catch (err) {
      if (err instanceof WebhookUrlError) throw new AppError('validation_failed', `url: ${err.message}`, { problems: [{ field: 'url', message: err.message }] });
      throw err;
    }
    const secret = newWebhookSecret();
    const [row]: SubRow[] = await ctx.ds.query(
      `INSERT INTO webhook_subscriptions (id, url, events, description, secret, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [randomUUID(), b.url, [...new Set(b.events)], b.description, secret, `key:${req.principal!.id}`],
    );
    res.status(201).json({ ...view(row!), secret });
  });

  router.get('/v1/webhooks', admin, async (_req, res) => {
    const rows: SubRow[] = await ctx.ds.query(`SELECT ${COLUMNS} FROM webhook_subscriptions ORDER BY created_at, id`);
    res.json({ webhooks: rows.map(view) });
  });

  router.get('/v1/webhooks/:id', admin, async (req, res) => {
    const { id } = validate(s.webhookIdParam, req.params, 'path');
    const [row]: SubRow[] = await ctx.ds.query(`SELECT ${COLUMNS} FROM webhook_subscriptions WHERE id = $1`, [id]);
    if (!row) throw new AppError('not_found', `no webhook ${id}`);
    res.json(view(row));
  });

  router.delete('/v1/webhooks/:id', admin, async (req, res) => {
    const { id } = validate(s.webhookIdParam, req.params, 'path');
    const rows = returningRows<{ id: string }>(await ctx.ds.query(`DELETE FROM webhook_subscriptions WHERE id = $1 RETURNING id`, [id]));
    if (rows.length === 0) throw new AppError('not_found', `no webhook ${id}`);
    res.status(204).end();
  });

  router.get('/v1/webhooks/:id/deliveries', admin, async (req, res) => {
    const { id } = validate(s.webhookIdParam, req.params, 'path');
    const { limit } = validate(s.deliveriesQuery, req.query);
    const rows: { id: string; event_id: string; type: string; status: 'queued' | 'sent' | 'failed'; attempts: number; next_attempt_at: Date; last_status: number | null; last_error: string | null; response_ms: number | null; created_at: Date; delivered_at: Date | null }[] =
      await ctx.ds.query(
        `SELECT d.*, e.type FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.subscription_id = $1 ORDER BY d.seq DESC LIMIT $2`,
        [id, limit],
      );
    res.json({
      deliveries: rows.map((d) => ({
        id: d.id, eventId: d.event_id, webhookId: webhookMessageId(d.event_id), type: d.type, status: d.status, attempts: d.attempts,
        nextAttemptAt: d.status === 'queued' ? d.next_attempt_at.toISOString() : null, lastStatus: d.last_status, lastError: d.last_error,
        responseMs: d.response_ms, createdAt: d.created_at.toISOString(), deliveredAt: d.delivered_at?.toISOString() ?? null,
      })),
    });
  });

  // A `webhook.test` event to this subscription alone, through the same queue, signing and log.
  router.post('/v1/webhooks/:id/test', admin, async (req, res) => {
    const { id } = validate(s.webhookIdParam, req.params, 'path');
    const delivery = await ctx.ds.transaction(async (em) => {
      const [sub]: { id: string }[] = await em.query(`SELECT id FROM webhook_subscriptions WHERE id = $1`, [id]);
      if (!sub) return null;
      const eventId = randomUUID();
      const deliveryId = randomUUID();
      await em.query(`INSERT INTO webhook_events (id, type, payload) VALUES ($1, 'webhook.test', $2)`, [eventId, JSON.stringify({ subscriptionId: id, at: new Date().toISOString() })]);
      await em.query(`INSERT INTO webhook_deliveries (id, subscription_id, event_id) VALUES ($1, $2, $3)`, [deliveryId, id, eventId]);
      dispatchAfterCommit(em, { webhooks: [{ id: deliveryId, subscriptionId: id }] });
      return { deliveryId, eventId };
    });
    if (!delivery) throw new AppError('not_found', `no webhook ${id}`);
    res.status(202).json({ deliveryId: delivery.deliveryId, webhookId: webhookMessageId(delivery.eventId) });
  });

  router.post('/v1/webhooks/:id/enable', admin, async (req, res) => {
    const { id } = validate(s.webhookIdParam, req.params, 'path');
    const rows = returningRows<{ id: string }>(await ctx.ds.query(
      `UPDATE webhook_subscriptions SET enabled = true, disabled_reason = NULL, consecutive_failures = 0 WHERE id = $1 RETURNING id`,
      [id],
    ));
    if (rows.length === 0) throw new AppError('not_found', `no webhook ${id}`);
    const [head]: { id: string }[] = await ctx.ds.query(`SELECT id FROM webhook_deliveries WHERE subscription_id = $1 AND status = 'queued' ORDER BY seq LIMIT 1`, [id]);
    if (head) await ctx.outbox?.dispatcher.webhooks([{ id: `${head.id}-enable-${Date.now()}`, subscriptionId: id }]).catch(() => undefined);
    res.json({ id, enabled: true });
  });
  return router;
}
