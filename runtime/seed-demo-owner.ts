import type { DataSource } from 'typeorm';
import { ownerFor } from '../shared/sender-data/owners-store.ts';
import { decideRange, requestRange } from '../shared/sender-data/ranges-store.ts';

/** The demo's IP owner (docs/sender-data.md): the sender whose server the demo lists. */
export const DEMO_OWNER = 'postmaster@prize-draw.example';
export const DEMO_OWNER_RANGE = '198.51.100.200/29';
/** The owner's sending addresses and their usual daily volume. */
const DEMO_OWNER_IPS: [ip: string, perDay: number][] = [['198.51.100.201', 2400], ['198.51.100.202', 5200]];
export const DEMO_HISTORY_DAYS = 30;

/**
 * `start --demo`: one verified owner of the listed sender's range, approved the way an analyst
 * approves one, with 30 days of delivered volume as a platform's `POST /v1/volume` would have posted
 * it (one count per hour, the daily total spread over the working hours). The complaints are the
 * demo's real reports: six today about the listed address, so the table shows a red day after a
 * month of green ones. Deterministic numbers, so screenshots and tests can count on them.
 */
export async function seedDemoOwner(ds: DataSource, now: Date): Promise<void> {
  await ds.transaction(async (em) => {
    const owner = await ownerFor(em, DEMO_OWNER);
    const request = await requestRange(em, owner.id, DEMO_OWNER_RANGE, []);
    await decideRange(em, request.id, { status: 'verified', method: 'analyst', by: 'demo seed', note: 'seeded by start --demo', now });
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const rows: { ip: string; hour: Date; delivered: number }[] = [];
    for (let d = DEMO_HISTORY_DAYS - 1; d >= 0; d--) {
      for (const [i, [ip, perDay]] of DEMO_OWNER_IPS.entries()) {
        // A weekly rhythm (quieter weekends) and a small per-day wobble: a real sender's curve, not a flat line.
        const day = new Date(today - d * 86_400_000);
        const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
        const total = Math.round(perDay * (weekend ? 0.35 : 1) * (1 + (((d * 7 + i * 3) % 11) - 5) / 50));
        // Working hours 08–17 UTC; today, the hours so far (from 00 UTC: a demo started just after
        // midnight UTC still shows today's row for every address).
        const [from, to] = d === 0 ? [0, now.getUTCHours() + 1] : [8, 18];
        for (let h = from; h < to; h++) rows.push({ ip, hour: new Date(day.getTime() + h * 3_600_000), delivered: Math.round(total / 10) });
      }
    }
    await em.query(
      `INSERT INTO delivery_volume (kind, key, hour, delivered)
       SELECT 'ip', * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[])
       ON CONFLICT (kind, key, hour) DO NOTHING`,
      [rows.map((r) => r.ip), rows.map((r) => r.hour), rows.map((r) => r.delivered)],
    );
  });
}
