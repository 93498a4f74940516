import type { DataSource } from 'typeorm';
import { AppError } from '../errors/app-error.ts';
import { tenancySchema, type Tenancy } from './tenancy.schema.ts';

export interface ImportResult {
  /** The tenancy version after the import (unchanged when the file was identical). */
  version: number;
  changed: boolean;
  added: string[];
  updated: string[];
  removed: string[];
}

/** Canonical JSON (sorted keys) so that two imports of the same content compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/**
 * Imports a validated tenancy into the database in one transaction: the document and its version,
 * and the tenants as rows (added, updated, and removed when no longer in the file). Re-importing the
 * same content changes nothing, not even the version, so worker caches do not reload for nothing.
 */
export async function importTenancy(ds: DataSource, tenancy: Tenancy, source: string | null): Promise<ImportResult> {
  return ds.transaction(async (em) => {
    // Serialise concurrent imports (two service instances starting with TENANCY_FILE at once).
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('abuse-intake:tenancy'))`);
    const [state]: { version: number; document: unknown }[] = await em.query(`SELECT version, document FROM tenancy_state WHERE id = 1`);
    const existing: { id: string; row: string }[] = await em.query(
      `SELECT id, json_build_object('name', name, 'externalIds', external_ids, 'domains', domains,
              'networks', (SELECT coalesce(array_agg(host(n) || '/' || masklen(n)), '{}') FROM unnest(networks) n),
              'abuseContact', abuse_contact)::text AS row FROM tenants`,
    );
    const before = new Map(existing.map((e) => [e.id, e.row]));
    const added: string[] = [];
    const updated: string[] = [];
    for (const t of tenancy.tenants) {
      const prev = before.get(t.id);
      const row = { name: t.name, externalIds: t.externalIds, domains: t.domains, networks: t.networks, abuseContact: t.abuseContact };
      if (prev !== undefined && canonical(JSON.parse(prev)) === canonical(row)) continue;
      (prev === undefined ? added : updated).push(t.id);
      {
        await em.query(
          `INSERT INTO tenants (id, name, external_ids, domains, networks, abuse_contact, updated_at)
           VALUES ($1, $2, $3, $4, $5::inet[], $6, now())
           ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, external_ids = EXCLUDED.external_ids, domains = EXCLUDED.domains,
             networks = EXCLUDED.networks, abuse_contact = EXCLUDED.abuse_contact, updated_at = now()`,
          [t.id, t.name, t.externalIds, t.domains, t.networks, t.abuseContact],
        );
      }
    }
    const keep = new Set(tenancy.tenants.map((t) => t.id));
    const removed = [...before.keys()].filter((id) => !keep.has(id));
    if (removed.length) await em.query(`DELETE FROM tenants WHERE id = ANY($1)`, [removed]);

    const changed = !state || canonical(state.document) !== canonical(tenancy) || added.length + updated.length + removed.length > 0;
    const version = changed ? (state?.version ?? 0) + 1 : state!.version;
    if (changed) {
      await em.query(
        `INSERT INTO tenancy_state (id, version, document, source, imported_at) VALUES (1, $1, $2, $3, now())
         ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, document = EXCLUDED.document, source = EXCLUDED.source, imported_at = now()`,
        [version, JSON.stringify(tenancy), source],
      );
    }
    return { version, changed, added, updated, removed };
  });
}

/** The current tenancy version, or 0 when none was ever imported. Cheap: one row by primary key. */
/** A DataSource, or a transaction's EntityManager (to read on the transaction's own connection). */
type Queryable = Pick<DataSource, 'query'>;

export async function tenancyVersion(ds: Queryable): Promise<number> {
  const [row]: { version: number }[] = await ds.query(`SELECT version FROM tenancy_state WHERE id = 1`);
  return row?.version ?? 0;
}

/** The imported tenancy and its version, or null when none was imported. Re-validated: the row may predate a schema change. */
export async function loadTenancy(ds: Queryable): Promise<{ version: number; tenancy: Tenancy } | null> {
  const [row]: { version: number; document: unknown }[] = await ds.query(`SELECT version, document FROM tenancy_state WHERE id = 1`);
  if (!row) return null;
  const parsed = tenancySchema.safeParse(row.document);
  if (!parsed.success) throw new AppError('config_invalid', `the imported tenancy (version ${row.version}) no longer validates; re-import the tenancy file`);
  return { version: row.version, tenancy: parsed.data };
}
