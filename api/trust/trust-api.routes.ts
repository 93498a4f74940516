import express, { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { addressIdentity } from '../../shared/identity/normalize-address.ts';
import { enqueueTrustChanges } from '../../shared/queue/submission-queue.ts';
import { trustAtLeast, type ReporterTrust } from '../../shared/trust/reporter-trust.ts';
import { setReportTrust, trustHistory } from '../../shared/trust/trust-changes.ts';
import { listReporters, revokeById } from '../../shared/trust/reporters-store.ts';
import { getTrustEndpoint, listReportersEndpoint, revokeReporterEndpoint, setTrustEndpoint } from './trust.schemas.ts';

/**
 * The analysts' side of reporter trust: promote or demote a report (`POST /v1/reports/:id/trust`,
 * audited; the worker applies, restores or withdraws its reputation effect), read a report's trust
 * history, list and revoke personal reporting addresses.
 */
export function trustApiRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const json = express.json({ limit: '16kb' });
  const analyst = auth.require('analyst', 'admin');

  router.post(setTrustEndpoint.path, analyst, json, async (req, res) => {
    const { params: { id }, body } = setTrustEndpoint.parse(req);
    const out = await ctx.ds.transaction((em) => setReportTrust(em, id, body.trust, body.reason, `analyst:${req.principal!.id}`, new Date()));
    if (out.changeId) {
      await enqueueTrustChanges(ctx.queue, out.changeId).catch((err: Error) =>
        ctx.log.warn({ err: err.message, changeId: out.changeId }, 'trust change not queued; the schedule applies it'),
      );
    }
    res.json({ id, trust: out.trust, previous: out.previous, changed: out.changeId !== null, changeId: out.changeId });
  });

  router.get(getTrustEndpoint.path, analyst, async (req, res) => {
    const { params: { id } } = getTrustEndpoint.parse(req);
    const [row]: { reporter_trust: ReporterTrust }[] = await ctx.ds.query(`SELECT reporter_trust FROM reports WHERE id = $1`, [id]);
    if (!row) throw new AppError('not_found', `no report ${id}`);
    res.json({ id, trust: row.reporter_trust, counts: trustAtLeast(row.reporter_trust, ctx.config.REPUTATION_MIN_TRUST), history: await trustHistory(ctx.ds.manager, id) });
  });

  router.get(listReportersEndpoint.path, analyst, async (req, res) => {
    const { query: q } = listReportersEndpoint.parse(req);
    const identity = q.email === undefined ? null : addressIdentity(q.email);
    if (q.email !== undefined && !identity) {
      throw new AppError('validation_failed', 'invalid query parameter email: not an email address', { problems: [{ field: 'email', in: 'query', message: 'not an email address' }] });
    }
    res.json({ items: await listReporters(ctx.ds, { status: q.status, identity, limit: q.limit }) });
  });

  router.post(revokeReporterEndpoint.path, analyst, json, async (req, res) => {
    const { params: { id }, body } = revokeReporterEndpoint.parse(req);
    const out = await revokeById(ctx.ds, id, `analyst:${req.principal!.id}`, body.reason, new Date());
    if (out === 'unknown') throw new AppError('not_found', `no reporter ${id}`);
    if (out === 'already') throw new AppError('conflict', `reporter ${id} is already revoked`);
    res.json({ id, revoked: true });
  });
  return router;
}
