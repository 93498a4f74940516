import express, { Router, type Request } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { analystAccess } from '../analyst/access.ts';
import { changeCase, readCase } from './triage-store.ts';
import { subjectKey } from './triage-subject.ts';
import { changeTriageEndpoint, getTriageEndpoint } from './triage.schemas.ts';

/** Who acts: the API key (by id) or the signed-in UI user (by e-mail). */
export function actorOf(req: Request): string {
  if (req.principal) return `key:${req.principal.id}`;
  return `user:${req.session?.user?.email ?? 'unknown'}`;
}

/**
 * `GET /v1/triage/:kind/:key` (case, notes, audit) and `POST /v1/triage/:kind/:key` (status,
 * assignee, note) for campaigns, IPs and tenants. Writes need an API key (the UI has its own
 * CSRF-protected forms, api/campaigns/campaign-actions.routes.ts).
 */
export function triageRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  const analyst = analystAccess(ctx, auth, 'analyst', 'admin');
  router.get('/v1/triage/:kind/:key', analyst, async (req, res) => {
    const { params: p } = getTriageEndpoint.parse(req);
    res.json(await readCase(ctx.ds, p.kind, await subjectKey(ctx.ds, p.kind, p.key)));
  });
  router.post('/v1/triage/:kind/:key', analyst, express.json({ limit: '16kb' }), async (req, res) => {
    const { params: p, body } = changeTriageEndpoint.parse({ params: req.params, query: req.query, body: req.body ?? {} });
    const key = await subjectKey(ctx.ds, p.kind, p.key);
    res.json(await changeCase(ctx.ds, p.kind, key, body, actorOf(req)));
  });
  return router;
}
