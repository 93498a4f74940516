import type { DataSource } from 'typeorm';
import { pseudonymise } from '../../shared/privacy/pseudonym.ts';
import { returningRows } from '../../shared/db/returning-rows.ts';

/**
 * Reputation keeps who reported what (distinct reporters decide listings). After PSEUDONYMISE_DAYS
 * those addresses become pseudonyms too; the scores and counts stay. Skipped while the reputation
 * tables do not exist. Returns rows changed.
 */
export async function pseudonymiseReputation(ds: DataSource, key: Buffer, cutoff: Date, batch: number): Promise<number> {
  const [{ present }]: [{ present: boolean }] = await ds.query(
    `SELECT to_regclass('reputation_events') IS NOT NULL AND to_regclass('reputation_reporters') IS NOT NULL AS present`,
  );
  if (!present) return 0;
  return (await pseudonymiseEvents(ds, key, cutoff, batch)) + (await pseudonymiseReporters(ds, key, cutoff, batch));
}

async function pseudonymiseEvents(ds: DataSource, key: Buffer, cutoff: Date, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const rows: { id: string; reporter: string }[] = await ds.query(
      `SELECT id, reporter FROM reputation_events WHERE at < $1 AND reporter <> '' AND reporter NOT LIKE 'pseud:%' LIMIT $2`,
      [cutoff, batch],
    );
    if (rows.length === 0) return total;
    await ds.query(
      `UPDATE reputation_events e SET reporter = v.reporter FROM unnest($1::bigint[], $2::text[]) AS v(id, reporter) WHERE e.id = v.id`,
      [rows.map((r) => r.id), rows.map((r) => pseudonymise(key, r.reporter))],
    );
    total += rows.length;
  }
}

/**
 * `reputation_reporters` is keyed by the reporter, so a row is moved, not updated: deleted and
 * merged into its pseudonym's row (which an earlier run may have created). The delete returns the
 * row as it is at that moment, so a concurrent increment by a worker is not lost.
 */
async function pseudonymiseReporters(ds: DataSource, key: Buffer, cutoff: Date, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const moved = await ds.transaction(async (em) => {
      const rows = returningRows<{ kind: string; key: string; reporter: string; reports: number; last_at: Date }>(await em.query(
        `DELETE FROM reputation_reporters WHERE (kind, key, reporter) IN (
           SELECT kind, key, reporter FROM reputation_reporters
            WHERE last_at < $1 AND reporter <> '' AND reporter NOT LIKE 'pseud:%' LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING kind, key, reporter, reports, last_at`,
        [cutoff, batch],
      ));
      // Two spellings of one address (case) become one pseudonym: merge before inserting.
      const merged = new Map<string, { kind: string; key: string; reporter: string; reports: number; last_at: Date }>();
      for (const r of rows) {
        const p = { ...r, reporter: pseudonymise(key, r.reporter) };
        const id = JSON.stringify([p.kind, p.key, p.reporter]);
        const seen = merged.get(id);
        if (!seen) merged.set(id, p);
        else merged.set(id, { ...seen, reports: seen.reports + p.reports, last_at: seen.last_at > p.last_at ? seen.last_at : p.last_at });
      }
      const m = [...merged.values()];
      if (m.length) {
        await em.query(
          `INSERT INTO reputation_reporters (kind, key, reporter, reports, last_at)
           SELECT * FROM unnest($1::varchar[], $2::text[], $3::text[], $4::int[], $5::timestamptz[])
           ON CONFLICT (kind, key, reporter) DO UPDATE
             SET reports = reputation_reporters.reports + EXCLUDED.reports,
                 last_at = GREATEST(reputation_reporters.last_at, EXCLUDED.last_at)`,
          [m.map((r) => r.kind), m.map((r) => r.key), m.map((r) => r.reporter), m.map((r) => r.reports), m.map((r) => r.last_at)],
        );
      }
      return rows.length;
    });
    total += moved;
    if (moved < batch) return total;
  }
}
