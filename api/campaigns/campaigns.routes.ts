import express, { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { analystAccess } from '../analyst/access.ts';
import { actorOf } from '../triage/triage.routes.ts';
import { listCampaigns } from './campaign-query.ts';
import { campaignDetail } from './campaign-detail.ts';
import { mergeAction, splitAction } from './campaign-actions.ts';
import { getCampaignEndpoint, listCampaignsEndpoint, mergeCampaignEndpoint, splitCampaignEndpoint } from './campaigns.schemas.ts';

/**
 * The campaign API (docs/campaigns.md): list, one campaign with its time series, and the analyst's
 * merge and split. Triage (status, assignee, notes) is the generic `/v1/triage/campaign/:id`.
 */
export function campaignRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const analyst = analystAccess(ctx, auth, 'analyst', 'admin');

  router.get('/v1/campaigns', analyst, async (req, res) => {
    res.json(await listCampaigns(ctx.ds, listCampaignsEndpoint.parse(req).query));
  });

  router.get('/v1/campaigns/:id', analyst, async (req, res) => {
    const { params, query } = getCampaignEndpoint.parse(req);
    res.json(await campaignDetail(ctx.ds, params.id, query.bucket, query.window));
  });

  router.post('/v1/campaigns/:id/merge', analyst, express.json({ limit: '4kb' }), async (req, res) => {
    const { params, body } = mergeCampaignEndpoint.parse(req);
    await mergeAction(ctx.ds, params.id, body.from, actorOf(req));
    res.json(await campaignDetail(ctx.ds, params.id, 'hour', '7d'));
  });

  router.post('/v1/campaigns/:id/split', analyst, express.json({ limit: '4kb' }), async (req, res) => {
    const { params, body } = splitCampaignEndpoint.parse(req);
    const created = await splitAction(ctx.ds, params.id, body.reportId, actorOf(req));
    res.status(201).json(await campaignDetail(ctx.ds, created, 'hour', '7d'));
  });
  return router;
}
