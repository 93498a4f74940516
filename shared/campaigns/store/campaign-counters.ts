import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { addressIdentity } from '../../identity/normalize-address.ts';
import { TRUST_LEVELS } from '../../trust/reporter-trust.ts';
import { returningRows } from '../../db/returning-rows.ts';
import type { AssignedRow } from './campaign-writes.ts';

/**
 * The campaign counters, kept incrementally from the reports assigned in this transaction: reports,
 * distinct reporters per trust level, first/last seen, hourly counts and facets (IPs, tenants, URL
 * domains). Campaign rows are locked first, in id order, and every multi-row write after that meets
 * its rows in one sorted order, so concurrent batches (and an analyst's merge) queue instead of deadlocking.
 */

export interface TouchedCampaign {
  id: string;
  reports: number;
  alerted: boolean;
  /** The latest received_at among this batch's reports of the campaign. */
  latest: Date;
}

/** A reporter as a 64-bit digest of its identity (a pseudonym, not the address; see docs/campaigns.md). */
export function reporterDigest(reporter: string): string {
  const identity = addressIdentity(reporter) ?? reporter.trim().toLowerCase();
  return createHash('sha256').update(identity).digest().readBigInt64BE(0).toString();
}

function hourOf(d: Date): string {
  const h = new Date(d);
  h.setUTCMinutes(0, 0, 0);
  return h.toISOString();
}

function byKey<T>(map: Map<string, T>): [string, T][] {
  return [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Distinct reporters new to each (campaign, trust level): inserted rows only are counted. */
async function newReporters(em: EntityManager, rows: AssignedRow[]): Promise<Map<string, Map<string, number>>> {
  const uniq = new Map<string, [string, string, string]>();
  for (const r of rows) {
    if (!r.reporter) continue;
    const digest = reporterDigest(r.reporter);
    uniq.set(`${r.campaign_id.padStart(20, '0')}|${r.reporter_trust}|${digest}`, [r.campaign_id, r.reporter_trust, digest]);
  }
  const out = new Map<string, Map<string, number>>();
  if (uniq.size === 0) return out;
  const sorted = byKey(uniq).map(([, v]) => v);
  const inserted: { campaign_id: string; trust: string }[] = await em.query(
    `INSERT INTO campaign_reporters (campaign_id, trust, reporter)
     SELECT c, t, r FROM unnest($1::bigint[], $2::text[], $3::bigint[]) WITH ORDINALITY AS v(c, t, r, o) ORDER BY o
     ON CONFLICT DO NOTHING RETURNING campaign_id::text AS campaign_id, trust`,
    [sorted.map((s) => s[0]), sorted.map((s) => s[1]), sorted.map((s) => s[2])],
  );
  for (const i of inserted) {
    const m = out.get(i.campaign_id) ?? new Map<string, number>();
    m.set(i.trust, (m.get(i.trust) ?? 0) + 1);
    out.set(i.campaign_id, m);
  }
  return out;
}

/**
 * Locks the campaigns of `rows` in id order and moves rows of a campaign an analyst merged meanwhile
 * (it was a candidate before the merge committed) to the campaign it was merged into.
 */
async function lockLive(em: EntityManager, rows: AssignedRow[]): Promise<void> {
  for (let hop = 0; hop < 5; hop++) {
    const ids = [...new Set(rows.map((r) => r.campaign_id))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const locked: { id: string; merged_into: string | null }[] = await em.query(
      `SELECT id::text AS id, merged_into::text AS merged_into FROM campaigns WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE`, [ids]);
    const into = new Map(locked.filter((l) => l.merged_into).map((l) => [l.id, l.merged_into!]));
    if (into.size === 0) return;
    const moved = rows.filter((r) => into.has(r.campaign_id));
    for (const r of moved) r.campaign_id = into.get(r.campaign_id)!;
    await em.query(`UPDATE reports r SET campaign_id = v.c FROM unnest($1::uuid[], $2::bigint[]) AS v(id, c) WHERE r.id = v.id`, [moved.map((r) => r.id), moved.map((r) => r.campaign_id)]);
  }
}

export async function updateCounters(em: EntityManager, rows: AssignedRow[], urlDomains: ReadonlyMap<string, readonly string[]>): Promise<TouchedCampaign[]> {
  if (rows.length === 0) return [];
  await lockLive(em, rows);
  const reporters = await newReporters(em, rows);
  const agg = new Map<string, { n: number; first: Date; last: Date }>();
  for (const r of rows) {
    const a = agg.get(r.campaign_id);
    if (!a) agg.set(r.campaign_id, { n: 1, first: r.received_at, last: r.received_at });
    else {
      a.n++;
      if (r.received_at < a.first) a.first = r.received_at;
      if (r.received_at > a.last) a.last = r.received_at;
    }
  }
  const ids = [...agg.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const trustCounts = TRUST_LEVELS.map((t) => ids.map((id) => reporters.get(id)?.get(t) ?? 0));
  const updated = returningRows<{ id: string; reports: number; alerted: boolean }>(await em.query(
    `UPDATE campaigns c SET reports = c.reports + v.n,
            reporters_anonymous = c.reporters_anonymous + v.ra, reporters_verified = c.reporters_verified + v.rv,
            reporters_platform = c.reporters_platform + v.rp, reporters_feed = c.reporters_feed + v.rf,
            first_seen = least(c.first_seen, v.first), last_seen = greatest(c.last_seen, v.last)
       FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::timestamptz[], $8::timestamptz[])
            AS v(id, n, ra, rv, rp, rf, first, last)
      WHERE c.id = v.id
      RETURNING c.id::text AS id, c.reports, c.alerted_at IS NOT NULL AS alerted`,
    [ids, ids.map((id) => agg.get(id)!.n), ...trustCounts, ids.map((id) => agg.get(id)!.first), ids.map((id) => agg.get(id)!.last)],
  ));
  await upsertFacets(em, rows, urlDomains);
  await upsertHourly(em, rows);
  return updated.map((u) => ({ ...u, latest: agg.get(u.id)!.last }));
}

async function upsertFacets(em: EntityManager, rows: AssignedRow[], urlDomains: ReadonlyMap<string, readonly string[]>): Promise<void> {
  const facets = new Map<string, { c: string; kind: string; value: string; n: number; last: Date }>();
  const add = (c: string, kind: string, value: string | null, at: Date) => {
    if (!value) return;
    const k = `${c.padStart(20, '0')}|${kind}|${value}`;
    const f = facets.get(k);
    if (f) {
      f.n++;
      if (at > f.last) f.last = at;
    } else facets.set(k, { c, kind, value, n: 1, last: at });
  };
  for (const r of rows) {
    add(r.campaign_id, 'relay_ip', r.relay_ip, r.received_at);
    add(r.campaign_id, 'orig_ip', r.originating_ip, r.received_at);
    add(r.campaign_id, 'tenant', r.tenant_id, r.received_at);
    for (const d of urlDomains.get(r.key) ?? []) add(r.campaign_id, 'url_domain', d, r.received_at);
  }
  if (facets.size === 0) return;
  const list = byKey(facets).map(([, v]) => v);
  await em.query(
    `INSERT INTO campaign_facets (campaign_id, kind, value, reports, last_seen)
     SELECT c, k, val, n, at FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::timestamptz[]) WITH ORDINALITY AS v(c, k, val, n, at, o) ORDER BY o
     ON CONFLICT (campaign_id, kind, value) DO UPDATE
       SET reports = campaign_facets.reports + EXCLUDED.reports, last_seen = greatest(campaign_facets.last_seen, EXCLUDED.last_seen)`,
    [list.map((f) => f.c), list.map((f) => f.kind), list.map((f) => f.value), list.map((f) => f.n), list.map((f) => f.last)],
  );
}

async function upsertHourly(em: EntityManager, rows: AssignedRow[]): Promise<void> {
  const hours = new Map<string, { c: string; hour: string; n: number }>();
  for (const r of rows) {
    const hour = hourOf(r.received_at);
    const k = `${r.campaign_id.padStart(20, '0')}|${hour}`;
    const h = hours.get(k);
    if (h) h.n++;
    else hours.set(k, { c: r.campaign_id, hour, n: 1 });
  }
  const list = byKey(hours).map(([, v]) => v);
  await em.query(
    `INSERT INTO campaign_hourly (campaign_id, hour, n)
     SELECT c, h, n FROM unnest($1::bigint[], $2::timestamptz[], $3::int[]) WITH ORDINALITY AS v(c, h, n, o) ORDER BY o
     ON CONFLICT (campaign_id, hour) DO UPDATE SET n = campaign_hourly.n + EXCLUDED.n`,
    [list.map((h) => h.c), list.map((h) => h.hour), list.map((h) => h.n)],
  );
}

/** Reports per hour and URL domain (every new report with links, in a campaign or not). */
export async function countUrlDomains(em: EntityManager, items: { at: Date; domains: readonly string[] }[]): Promise<void> {
  const counts = new Map<string, { hour: string; domain: string; n: number }>();
  for (const i of items) {
    const hour = hourOf(i.at);
    for (const d of i.domains) {
      const k = `${hour}|${d}`;
      const c = counts.get(k);
      if (c) c.n++;
      else counts.set(k, { hour, domain: d, n: 1 });
    }
  }
  if (counts.size === 0) return;
  const list = byKey(counts).map(([, v]) => v);
  await em.query(
    `INSERT INTO url_domain_hourly (hour, domain, shard, n)
     SELECT h, d, pg_backend_pid() % 16, n FROM unnest($1::timestamptz[], $2::text[], $3::int[]) WITH ORDINALITY AS v(h, d, n, o) ORDER BY o
     ON CONFLICT (hour, domain, shard) DO UPDATE SET n = url_domain_hourly.n + EXCLUDED.n`,
    [list.map((c) => c.hour), list.map((c) => c.domain), list.map((c) => c.n)],
  );
}
