import express, { Router } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { listRequests } from '../delist/delist-service.ts';
import { decideDelist } from '../actions/delist-actions.ts';

const STATUSES = ['unconfirmed', 'delisted', 'queued', 'approved', 'denied', 'not_listed', 'all'] as const;
const decisionBody = z.object({ decision: z.enum(['approve', 'deny']), reason: z.string().trim().min(3).max(1000) });

/** The analyst's side of the delist portal: the queue, and approve/deny with a reason. */
export function delistRequestRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const cache = new IpCache(ctx.redis, ctx.config.REDIS_PREFIX);
  router.get('/v1/delist-requests', auth.require('analyst', 'admin'), async (req, res) => {
    const status = String(req.query.status ?? 'queued');
    if (!(STATUSES as readonly string[]).includes(status)) throw new AppError('validation_failed', `status must be one of ${STATUSES.join(', ')}`);
    const limit = Math.min(500, Math.max(1, Number(req.query.limit ?? 100) || 100));
    res.json({ requests: await listRequests(ctx.ds, status as (typeof STATUSES)[number], limit) });
  });
  router.post('/v1/delist-requests/:id/decision', auth.require('analyst', 'admin'), express.json({ limit: '16kb' }), async (req, res) => {
    const id = String(req.params.id);
    if (!z.uuid().safeParse(id).success) throw new AppError('not_found', `no delist request ${id}`);
    const parsed = decisionBody.safeParse(req.body);
    if (!parsed.success) throw new AppError('validation_failed', 'send {"decision": "approve"|"deny", "reason": "…"}');
    const actor = `analyst:${req.principal!.id}`;
    res.json(await decideDelist(ctx.ds, cache, id, parsed.data.decision, parsed.data.reason, actor));
  });
  return router;
}
