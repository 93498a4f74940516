import { Router, urlencoded, type Request, type Response } from 'express';
import type { ApiContext } from '../context.ts';
import type { CsrfKit } from '../ui/csrf.ts';
import { requireUser, withSession } from '../ui/ui-auth.ts';
import { isAppError } from '../../shared/errors/app-error.ts';
import { campaignIdParam, mergeBody, splitBody } from './campaigns.schemas.ts';
import { mergeAction, splitAction } from './campaign-actions.ts';
import { campaignPage, campaignsListPage } from './campaign-pages.ts';

/** The campaign pages and their CSRF-protected forms (merge, split), as the signed-in user. */
export function campaignUiRoutes(ctx: ApiContext, csrf: CsrfKit): Router {
  const router = Router();
  const signedIn = [withSession(ctx), requireUser('analyst', 'admin')];
  const page = (fn: typeof campaignPage) => (req: Request, res: Response) => fn(ctx, csrf, req, res);
  router.get('/ui/campaigns', ...signedIn, page(campaignsListPage));
  router.get('/ui/campaigns/:id', ...signedIn, page(campaignPage));

  const form = [...signedIn, urlencoded({ extended: false, limit: '8kb' }), csrf.protect];
  router.post('/ui/campaigns/:id/merge', ...form, async (req, res) => {
    const id = campaignIdParam.safeParse(req.params);
    if (!id.success) return res.status(404).type('text/plain').send('no such campaign');
    const body = mergeBody.safeParse({ from: String(req.body?.from ?? '').trim() });
    req.session.flash = body.success ? await flashOf(() => mergeAction(ctx.ds, id.data.id, body.data.from, `user:${req.session.user!.email}`), `Campaign #${body.data.from} merged into this one.`)
      : 'Error: give the id (digits) of the campaign to merge in.';
    res.redirect(303, `/ui/campaigns/${id.data.id}`);
  });
  router.post('/ui/campaigns/:id/split', ...form, async (req, res) => {
    const id = campaignIdParam.safeParse(req.params);
    if (!id.success) return res.status(404).type('text/plain').send('no such campaign');
    const body = splitBody.safeParse({ reportId: String(req.body?.reportId ?? '') });
    let created: string | null = null;
    req.session.flash = body.success
      ? await flashOf(async () => { created = await splitAction(ctx.ds, id.data.id, body.data.reportId, `user:${req.session.user!.email}`); }, 'Report split out into a new campaign.')
      : 'Error: choose a report.';
    res.redirect(303, `/ui/campaigns/${created ?? id.data.id}`);
  });
  return router;
}

async function flashOf(action: () => Promise<unknown>, ok: string): Promise<string> {
  try {
    await action();
    return ok;
  } catch (err) {
    if (!isAppError(err)) throw err;
    return `Error: ${err.message}`;
  }
}
