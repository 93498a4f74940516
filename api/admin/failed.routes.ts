import { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { decodeCursor, encodeCursor } from './failed-cursor.ts';
import { failedEndpoint } from './failed.schemas.ts';

interface FailedRow {
  id: string;
  channel: string;
  received_at: Date;
  processed_at: Date;
  /** processed_at as Postgres writes it (µs), for the cursor. */
  failed_at_text: string;
  category: string | null;
  size_bytes: number;
  error: string | null;
  raw_kept: boolean;
}

/**
 * `GET /v1/admin/failed` (role admin): failed submissions, most recently failed first, with the
 * reason. Keyset-paged on (failed at, id) so a page stays right while new failures arrive;
 * `next` is the cursor of the following page, null on the last one.
 */
export function adminFailedRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  router.get(failedEndpoint.path, auth.require('admin'), async (req, res) => {
    const { limit, cursor, since } = failedEndpoint.parse(req).query;
    const after = cursor ? decodeCursor(cursor) : null;
    const rows: FailedRow[] = await ctx.ds.query(
      `SELECT id, channel, received_at, processed_at, category, size_bytes, error, raw_sha256 IS NOT NULL AS raw_kept,
              processed_at::text AS failed_at_text
         FROM submissions
        WHERE status = 'failed'
          AND ($1::timestamptz IS NULL OR processed_at >= $1)
          AND ($2::timestamptz IS NULL OR (processed_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY processed_at DESC, id DESC
        LIMIT $4`,
      [since ?? null, after?.at ?? null, after?.id ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    res.json({
      items: page.map((r) => ({
        id: r.id,
        channel: r.channel,
        category: r.category,
        receivedAt: r.received_at.toISOString(),
        failedAt: r.processed_at.toISOString(),
        sizeBytes: r.size_bytes,
        error: r.error,
        // A failed submission whose raw message retention deleted cannot be re-driven.
        requeueable: r.raw_kept,
      })),
      next: rows.length > limit && last ? encodeCursor(last.failed_at_text, last.id) : null,
    });
  });
  return router;
}
