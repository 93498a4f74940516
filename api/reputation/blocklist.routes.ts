import { Router, type Response } from 'express';
import { once } from 'node:events';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { CONTENT_TYPES, footer, header, line } from './blocklist-format.ts';
import { blocklistEndpoint } from './reputation.schemas.ts';
import { publicUrl } from './public-url.ts';

const PAGE = 2000;

/** Writes and waits for 'drain' when the socket buffer is full, so a slow reader holds no memory. */
async function write(res: Response, chunk: string): Promise<void> {
  if (chunk && !res.write(chunk)) await once(res, 'drain');
}

/**
 * `GET /v1/blocklist?format=json|text|rbldnsd`: the listed IPs now, streamed in keyset pages from
 * Postgres (the source of truth; an export is not the hot path).
 */
export function blocklistRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  router.get(blocklistEndpoint.path, auth.require('platform', 'analyst', 'admin'), async (req, res) => {
    const { format } = blocklistEndpoint.parse(req).query;
    // Read the first page before answering, so a database error is still a clean problem+json.
    let rows = await page(ctx, null);
    res.status(200).type(CONTENT_TYPES[format]).set('Cache-Control', 'no-store');
    await write(res, header(format, new Date(), publicUrl(ctx.config)));
    let count = 0;
    let skipped = 0;
    while (rows.length) {
      for (const r of rows) {
        const l = line(format, { ip: r.ip, listedAt: r.listed_at, reasons: r.reasons }, count === 0);
        if (l) count++;
        else skipped++;
        await write(res, l);
      }
      rows = rows.length < PAGE ? [] : await page(ctx, rows[rows.length - 1]!.ip);
    }
    res.end(footer(format, count, skipped));
  });
  return router;
}

function page(ctx: ApiContext, after: string | null): Promise<{ ip: string; listed_at: Date; reasons: string[] }[]> {
  return ctx.ds.query(
    `SELECT host(ip) AS ip, listed_at, reasons FROM listings WHERE ($1::inet IS NULL OR ip > $1::inet) ORDER BY ip LIMIT $2`,
    [after, PAGE],
  );
}
