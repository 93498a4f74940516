import express, { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { validate } from '../analyst/validate.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { addressIdentity } from '../../shared/identity/normalize-address.ts';
import { enqueueTrustChanges } from '../../shared/queue/submission-queue.ts';
import { trustAtLeast, type ReporterTrust } from '../../shared/trust/reporter-trust.ts';
import { setReportTrust, trustHistory } from '../../shared/trust/trust-changes.ts';
import { listReporters, revokeById } from '../../shared/trust/reporters-store.ts';
import { reporterIdParam, reporterListQuery, reporterRevokeBody, reportIdParam, trustChangeBody } from './trust.schemas.ts';

/**
 * The analysts' side of reporter trust: promote or demote a report (`POST /v1/reports/:id/trust`,
 * audited; the worker applies, restores or withdraws its reputation effect), read a report's trust
 * history, list and revoke personal reporting addresses.
 */
export function trustApiRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const json = express.json({ limit: '16kb' });
  const analyst = auth.require('analyst', 'admin');

  router.post('/v1/reports/:id/trust', analyst, json, async (req, res) => {
    const { id } = validate(reportIdParam, req.params, 'path');
    if (!req.is('application/json')) throw new AppError('unsupported_media_type', 'send application/json', { received: req.get('content-type') ?? null });
    const body = validate(trustChangeBody, req.body, 'body');
    const out = await ctx.ds.transaction((em) => setReportTrust(em, id, body.trust, body.reason, `analyst:${req.principal!.id}`, new Date()));
    if (out.changeId) {
      await enqueueTrustChanges(ctx.queue, out.changeId).catch((err: Error) =>
        ctx.log.warn({ err: err.message, changeId: out.changeId }, 'trust change not queued; the schedule applies it'),
      );
    }
    res.json({ id, trust: out.trust, previous: out.previous, changed: out.changeId !== null, changeId: out.changeId });
  });

  router.get('/v1/reports/:id/trust', analyst, async (req, res) => {
    const { id } = validate(reportIdParam, req.params, 'path');
    const [row]: { reporter_trust: ReporterTrust }[] = await ctx.ds.query(`SELECT reporter_trust FROM reports WHERE id = $1`, [id]);
    if (!row) throw new AppError('not_found', `no report ${id}`);
    res.json({ id, trust: row.reporter_trust, counts: trustAtLeast(row.reporter_trust, ctx.config.REPUTATION_MIN_TRUST), history: await trustHistory(ctx.ds.manager, id) });
  });

  router.get('/v1/reporters', analyst, async (req, res) => {
    const q = validate(reporterListQuery, req.query);
    const identity = q.email === undefined ? null : addressIdentity(q.email);
    if (q.email !== undefined && !identity) throw new AppError('validation_failed', 'email is not an address', { problems: [{ field: 'email', message: 'not an address' }] });
    res.json({ items: await listReporters(ctx.ds, { status: q.status, identity, limit: q.limit }) });
  });

  router.post('/v1/reporters/:id/revoke', analyst, json, async (req, res) => {
    const { id } = validate(reporterIdParam, req.params, 'path');
    const body = validate(reporterRevokeBody, req.body, 'body');
    const out = await revokeById(ctx.ds, id, `analyst:${req.principal!.id}`, body.reason, new Date());
    if (out === 'unknown') throw new AppError('not_found', `no reporter ${id}`);
    if (out === 'already') throw new AppError('conflict', `reporter ${id} is already revoked`);
    res.json({ id, revoked: true });
  });
  return router;
}
