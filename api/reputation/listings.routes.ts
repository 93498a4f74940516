import express, { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { reputationSettings } from '../../shared/reputation/settings.ts';
import { listingHistory } from '../../shared/reputation/store/listings-repo.ts';
import { getSubject, subjectState } from '../../shared/reputation/store/subject-state.ts';
import { listingActions } from '../actions/listing-actions.ts';
import { parseIp } from './ip-param.ts';
import { listEndpoint, subjectEndpoint, unlistEndpoint } from './reputation.schemas.ts';

/**
 * Analyst views and manual changes: a subject's score, distinct reporters and 24 h complaint rate
 * (`GET /v1/reputation/:kind/:key`), and manual list / unlist, each written to the history.
 */
export function listingRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const settings = reputationSettings(ctx.config);
  const actions = listingActions(ctx);

  router.get(subjectEndpoint.path, auth.require('analyst', 'admin'), async (req, res) => {
    const { kind, key: rawKey } = subjectEndpoint.parse(req).params;
    const key = kind === 'ip' ? parseIp(rawKey, 'key') : rawKey.trim().toLowerCase();
    const now = new Date();
    const subj = await getSubject(ctx.ds.manager, kind, key);
    const st = subj ? await subjectState(ctx.ds.manager, subj, settings, now) : null;
    const [listing]: { listed_at: Date; reasons: string[]; manual: boolean; expires_at: Date | null }[] =
      kind === 'ip' ? await ctx.ds.query(`SELECT listed_at, reasons, manual, expires_at FROM listings WHERE ip = $1::inet`, [key]) : [];
    const [flag]: { flagged_at: Date; reasons: string[]; cleared_at: Date | null }[] =
      kind === 'tenant' ? await ctx.ds.query(`SELECT flagged_at, reasons, cleared_at FROM tenant_flags WHERE tenant_id = $1`, [key]) : [];
    res.json({
      kind, key,
      score: st ? Math.round(st.score * 1000) / 1000 : 0,
      reports: subj?.reports ?? 0,
      lastReportAt: subj?.last_report_at ?? null,
      platform: subj?.platform ?? false,
      distinctReporters: st?.distinctReporters ?? 0,
      complaints24h: st?.complaints24h ?? 0,
      delivered24h: st?.delivered24h ?? null,
      complaintRate: st?.rate.rate ?? null,
      complaintRateLevel: st?.rate.level ?? 'unknown',
      reasons: st?.rate.reason ? [st.rate.reason] : [],
      listing: listing ? { listedAt: listing.listed_at, reasons: listing.reasons, manual: listing.manual, expiresAt: listing.expires_at } : null,
      flag: flag ?? null,
      history: kind === 'ip' ? await listingHistory(ctx.ds.manager, key) : [],
    });
  });

  router.post(listEndpoint.path, auth.require('analyst', 'admin'), express.json({ limit: '16kb' }), async (req, res) => {
    const { params: { ip }, body } = listEndpoint.parse(req);
    const created = await actions.list(ip, body.reason, `analyst:${req.principal!.id}`, body.expiresAt ? new Date(body.expiresAt) : null);
    res.status(created ? 201 : 200).json({ ip, listed: true, created, manual: true, expiresAt: body.expiresAt ? new Date(body.expiresAt).toISOString() : null });
  });

  router.delete(unlistEndpoint.path, auth.require('analyst', 'admin'), express.json({ limit: '16kb' }), async (req, res) => {
    const { params: { ip }, body } = unlistEndpoint.parse(req);
    await actions.unlist(ip, body.reason, `analyst:${req.principal!.id}`);
    res.json({ ip, listed: false });
  });
  return router;
}
