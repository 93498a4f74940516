import express, { Router } from 'express';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { volumeEndpoint } from './reputation.schemas.ts';

const HOUR = 3600_000;

/**
 * `POST /v1/volume` (role platform): delivered-message counts per IP (and tenant) per hour, the
 * denominator of the complaint rate. Posting the same hour again replaces the count, so a
 * platform can resend safely.
 */
export function volumeRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator): Router {
  const router = Router();
  router.post(volumeEndpoint.path, auth.require('platform', 'admin'), express.json({ limit: '2mb' }), async (req, res) => {
    // The body: [{hour, ip, tenant?, delivered}], 1 to 10000 items (reputation.schemas.ts).
    const items = volumeEndpoint.parse(req).body;
    // Sum duplicates in one post per (kind, key, hour) so ON CONFLICT sees each key once.
    const totals = new Map<string, { kind: 'ip' | 'tenant'; key: string; hour: Date; delivered: number }>();
    const add = (kind: 'ip' | 'tenant', key: string, hour: Date, n: number) => {
      const id = `${kind}|${key}|${hour.getTime()}`;
      const prev = totals.get(id);
      if (prev) prev.delivered += n;
      else totals.set(id, { kind, key, hour, delivered: n });
    };
    for (const v of items) {
      const hour = new Date(Math.floor(Date.parse(v.hour) / HOUR) * HOUR);
      add('ip', v.ip, hour, v.delivered);
      if (v.tenant) add('tenant', v.tenant.trim().toLowerCase(), hour, v.delivered);
    }
    const rows = [...totals.values()];
    await ctx.ds.query(
      `INSERT INTO delivery_volume (kind, key, hour, delivered)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[])
       ON CONFLICT (kind, key, hour) DO UPDATE SET delivered = EXCLUDED.delivered`,
      [rows.map((r) => r.kind), rows.map((r) => r.key), rows.map((r) => r.hour), rows.map((r) => r.delivered)],
    );
    res.status(200).json({ accepted: items.length, rows: rows.length });
  });
  return router;
}
