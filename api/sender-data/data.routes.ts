import { Router, type Request, type Response } from 'express';
import { dataTokenIssuedAt, issueDataToken, ownerByDataToken, revokeDataToken, type Owner } from '../../shared/sender-data/owners-store.ts';
import { ownerRanges } from '../../shared/sender-data/ranges-store.ts';
import { ownerSubscriptions } from '../../shared/sender-data/fbl-store.ts';
import type { OwnerKit } from './owner-kit.ts';
import { currentOwner } from './owner-session.ts';
import { dataCsv } from './data-csv.ts';
import { dataJson, ownerData } from './owner-data.ts';
import { dashboardPage, type DashboardView } from './pages/dashboard-page.ts';
import { signinPage } from './pages/auth-pages.ts';
import { words } from './pages/shell.ts';

/** Renders the signed-in owner's page, with what the calling route adds (a notice, a form error, a new URL). */
export async function renderDashboard(k: OwnerKit, req: Request, res: Response, owner: Owner, status: number, extra: Partial<DashboardView> = {}): Promise<void> {
  const em = k.ctx.ds.manager;
  const [data, ranges, tokenIssuedAt, subscriptions] = await Promise.all([
    ownerData(em, owner.id, k.settings), ownerRanges(em, owner.id), dataTokenIssuedAt(em, owner.id), ownerSubscriptions(em, owner.id),
  ]);
  k.send(res, status, dashboardPage(k.locale(res), k.csrf.token(req, res), {
    email: owner.email, ranges, rows: data.rows, periods: data.periods, tokenIssuedAt, subscriptions,
    thresholds: { watch: k.settings.rateWatch, list: k.settings.rateList }, sample: k.ctx.config.SENDER_PTR_SAMPLE, ...extra,
  }));
}

function sendCsv(res: Response, csv: string): void {
  res.status(200).set('Cache-Control', 'no-store').set('Content-Disposition', 'attachment; filename="ip-data.csv"').type('text/csv; charset=utf-8').send(csv);
}

/**
 * The owner's page, the CSV download, the secret data URL for scripts (SNDS's automated access:
 * a random token, only its SHA-256 stored; re-issuing replaces it, revoking deletes it → 404).
 */
export function dataRoutes(k: OwnerKit): Router {
  const router = Router();
  const { ctx } = k;

  router.get('/sender/data', async (req, res) => {
    const owner = currentOwner(res);
    if (!owner) return k.send(res, 200, signinPage(k.locale(res), k.csrf.token(req, res)));
    await renderDashboard(k, req, res, owner, 200);
  });

  router.get('/sender/data/csv', async (_req, res) => {
    const owner = currentOwner(res);
    if (!owner) return res.redirect(303, '/sender/data');
    sendCsv(res, dataCsv((await ownerData(ctx.ds.manager, owner.id, k.settings)).rows));
  });

  router.post('/sender/data/token', k.form, k.csrf.protect, async (req, res) => {
    const owner = currentOwner(res);
    if (!owner) return res.redirect(303, '/sender/data');
    const t = words(k.locale(res));
    if (k.field(req, 'action') === 'revoke') {
      await revokeDataToken(ctx.ds.manager, owner.id);
      return renderDashboard(k, req, res, owner, 200, { notice: t('tokenRevoked') });
    }
    const token = await issueDataToken(ctx.ds.manager, owner.id);
    await renderDashboard(k, req, res, owner, 200, { newDataUrl: `${k.base}/sender/data/feed/${token}` });
  });

  router.get('/sender/data/feed/:token', async (req, res) => {
    const owner = await ownerByDataToken(ctx.ds.manager, String(req.params.token));
    if (!owner) return void res.status(404).set('Cache-Control', 'no-store').type('text/plain').send('unknown or revoked data URL\n');
    const data = await ownerData(ctx.ds.manager, owner.id, k.settings);
    if (req.query.format === 'json') return void res.status(200).set('Cache-Control', 'no-store').json(dataJson(data.rows, data.periods, data.from));
    sendCsv(res, dataCsv(data.rows));
  });
  return router;
}
