import express, { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { reputationSettings } from '../../shared/reputation/settings.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { addManualListing, listingHistory, removeListing } from '../../shared/reputation/store/listings-repo.ts';
import { getSubject, subjectState } from '../../shared/reputation/store/subject-state.ts';
import { TenancyCache } from '../../shared/tenancy/tenancy-cache.ts';
import { isPublicIp, parseIp } from './ip-param.ts';
import { listEndpoint, subjectEndpoint, unlistEndpoint } from './reputation.schemas.ts';

/**
 * Analyst views and manual changes: a subject's score, distinct reporters and 24 h complaint rate
 * (`GET /v1/reputation/:kind/:key`), and manual list / unlist, each written to the history.
 */
export function listingRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const settings = reputationSettings(ctx.config);
  const cache = new IpCache(ctx.redis, ctx.config.REDIS_PREFIX);
  const tenancy = new TenancyCache(ctx.ds);

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
    if (!isPublicIp(ip)) throw new AppError('validation_failed', `${ip} is not a public address`, { problems: [{ field: 'ip', in: 'path', message: 'is not a public address' }] });
    const [platform]: unknown[] = await ctx.ds.query(`SELECT 1 FROM reputation_subjects WHERE kind = 'ip' AND key = $1 AND platform`, [ip]);
    if (platform || (await tenancy.get()).platformNetworks.has(ip)) throw new AppError('conflict', `${ip} is a platform address and is never listed; flag its tenant instead`);
    const now = new Date();
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= now.getTime()) {
      throw new AppError('validation_failed', 'invalid field expiresAt: must be in the future', { problems: [{ field: 'expiresAt', in: 'body', message: 'must be in the future' }] });
    }
    const created = await ctx.ds.transaction((em) => addManualListing(em, ip, `manual: ${body.reason}`, `analyst:${req.principal!.id}`, now, expiresAt));
    await cache.sync(ctx.ds, [ip]);
    res.status(created ? 201 : 200).json({ ip, listed: true, created, manual: true, expiresAt: expiresAt?.toISOString() ?? null });
  });

  router.delete(unlistEndpoint.path, auth.require('analyst', 'admin'), express.json({ limit: '16kb' }), async (req, res) => {
    const { params: { ip }, body } = unlistEndpoint.parse(req);
    const removed = await ctx.ds.transaction((em) => removeListing(em, ip, 'manual', `manual: ${body.reason}`, `analyst:${req.principal!.id}`, new Date()));
    if (!removed) throw new AppError('not_found', `${ip} is not listed`);
    await cache.sync(ctx.ds, [ip]);
    res.json({ ip, listed: false });
  });
  return router;
}
