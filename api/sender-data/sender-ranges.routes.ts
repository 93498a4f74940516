import express, { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { validate } from '../analyst/validate.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { decideRange, rangesByStatus, type RangeRequest } from '../../shared/sender-data/ranges-store.ts';
import * as s from './sender-ranges.schemas.ts';

const view = (r: RangeRequest) => ({
  id: r.id, owner: r.ownerEmail, range: r.cidr, status: r.status, method: r.method, ptrDomains: r.ptrDomains, mailedTo: r.mailedTo,
  createdAt: r.createdAt.toISOString(), decidedAt: r.decidedAt?.toISOString() ?? null, decidedBy: r.decidedBy, note: r.note,
});

/** Analysts decide the requests no PTR mailbox could prove (or any pending one). */
export function senderRangeRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const analyst = auth.require('analyst', 'admin');
  const body = express.json({ limit: '16kb' });

  router.get('/v1/sender-ranges', analyst, async (req, res) => {
    const q = validate(s.rangeListQuery, req.query);
    res.json({ ranges: (await rangesByStatus(ctx.ds.manager, q.status, q.limit)).map(view) });
  });

  for (const action of ['approve', 'reject'] as const) {
    router.post(`/v1/sender-ranges/:id/${action}`, analyst, body, async (req, res) => {
      const { id } = validate(s.rangeIdParam, req.params, 'path');
      const { note } = validate(s.decisionBody, req.body ?? {}, 'body');
      const decided = await decideRange(ctx.ds.manager, id, {
        status: action === 'approve' ? 'verified' : 'rejected', method: 'analyst', by: `analyst:${req.principal!.id}`, note: note || null, now: new Date(),
      });
      if (!decided) throw new AppError('conflict', `no pending access request ${id}`);
      ctx.log.info({ id, action, by: req.principal!.id }, 'sender data: access request decided');
      res.json(view(decided));
    });
  }
  return router;
}
