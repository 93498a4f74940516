import { Router, type Application } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { metricsRegistry, watchQueueDepth } from '../../shared/metrics.ts';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { analystAccess } from '../analyst/access.ts';
import { requireUser, sameOriginWrites, withSession } from '../ui/ui-auth.ts';
import { boardCsp, boardFonts, serveBoardPageLocally } from './bull-board-page.ts';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Operations: Prometheus `/metrics` (admin API key — Prometheus sends it as a bearer credential —
 * or an admin session) and Bull Board at /admin/queues (admin session only).
 */
export function opsRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  watchQueueDepth(ctx.queue);

  router.get('/metrics', analystAccess(ctx, auth, 'admin'), async (_req, res) => {
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });

  const board = new ExpressAdapter();
  board.setBasePath(BULL_BOARD_PATH);
  // @bull-board/express pins its own patch release of @bull-board/api: same shape, separately declared types.
  const serverAdapter = board as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'];
  createBullBoard({ queues: [new BullMQAdapter(ctx.queue)], serverAdapter, options: { uiConfig: { boardTitle: 'abuse-intake queues' } } });
  // Everything the board's page loads comes from here (no fonts from the internet), under its own CSP.
  serveBoardPageLocally(board.getRouter() as Application);
  router.use(BULL_BOARD_PATH, boardCsp, withSession(ctx), requireUser('admin'), sameOriginWrites, boardFonts(), board.getRouter());
  return router;
}
