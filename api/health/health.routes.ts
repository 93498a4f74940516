import { Router } from 'express';
import type { ApiContext } from '../context.ts';
import { migrationsApplied } from '../../shared/db/migrate.ts';

/** `/healthz`: the process answers. `/readyz`: Postgres and Redis answer and the schema is current. */
export function healthRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [postgres, redis] = await Promise.all([
      ctx.ds.query('SELECT 1').then(() => migrationsApplied(ctx.ds).then((ok) => (ok ? 'ok' : 'migrations pending'))).catch((e: Error) => `down: ${e.message}`),
      withTimeout(ctx.redis.ping(), 1000).then(() => 'ok').catch((e: Error) => `down: ${e.message}`),
    ]);
    const ready = postgres === 'ok' && redis === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', postgres, redis });
  });
  return router;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);
}
