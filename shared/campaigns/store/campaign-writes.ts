import type { EntityManager } from 'typeorm';
import { bucketKeys } from '../bucket-keys.ts';
import type { ContentFeatures } from '../content-features.ts';
import { signatureToBytes } from '../minhash.ts';
import { returningRows } from '../../db/returning-rows.ts';

/** New campaign rows: ids drawn from the sequence first, so each planned campaign knows its id. */
export async function createCampaigns(em: EntityManager, rows: { subject: string | null; features: ContentFeatures; at: Date }[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const ids: { id: string }[] = await em.query(
    `SELECT nextval(pg_get_serial_sequence('campaigns', 'id'))::text AS id FROM generate_series(1, $1)`,
    [rows.length],
  );
  await em.query(
    `INSERT INTO campaigns (id, first_seen, last_seen, subject, subject_stem, judge)
     SELECT id, at, at, subject, stem, judge FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[]) AS v(id, at, subject, stem, judge)`,
    [ids.map((r) => r.id), rows.map((r) => r.at), rows.map((r) => r.subject?.slice(0, 998) ?? null), rows.map((r) => r.features.subjectStem), rows.map((r) => (r.features.judge === 'text' ? 'text' : 'short'))],
  );
  return ids.map((r) => r.id);
}

/** Exemplars and their bucket keys (sorted, so concurrent writers meet rows in one order). */
export async function addExemplars(em: EntityManager, items: { campaignId: string; reportKey: string | null; features: ContentFeatures }[]): Promise<void> {
  if (items.length === 0) return;
  await em.query(
    `INSERT INTO campaign_exemplars (campaign_id, report_key, judge, signature, exact, url_domains, subject_stem)
     SELECT v.campaign_id, v.report_key, v.judge, v.signature, v.exact, ARRAY(SELECT jsonb_array_elements_text(v.domains)), v.stem
       FROM unnest($7::bigint[], $1::text[], $2::text[], $3::bytea[], $4::text[], $5::jsonb[], $6::text[]) AS v(campaign_id, report_key, judge, signature, exact, domains, stem)`,
    [
      items.map((i) => i.reportKey),
      items.map((i) => (i.features.judge === 'text' ? 'text' : 'short')),
      items.map((i) => (i.features.signature ? Buffer.from(i.features.signature, 'hex') : null)),
      items.map((i) => i.features.exact),
      items.map((i) => JSON.stringify(i.features.urlDomains)),
      items.map((i) => i.features.subjectStem),
      items.map((i) => i.campaignId),
    ],
  );
  await addKeys(em, items);
}

/** The bucket keys of exemplars' features, sorted so concurrent writers meet the rows in one order. */
export async function addKeys(em: EntityManager, items: { campaignId: string; features: ContentFeatures }[]): Promise<void> {
  const pairs = new Map<string, [string, string]>();
  for (const i of items) for (const k of bucketKeys(i.features)) pairs.set(`${k.key}/${i.campaignId}`, [k.key, i.campaignId]);
  const sorted = [...pairs.values()].sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : BigInt(a[0]) > BigInt(b[0]) ? 1 : Number(BigInt(a[1]) - BigInt(b[1]))));
  await em.query(
    `INSERT INTO campaign_keys (key, campaign_id)
     SELECT key, campaign_id FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS v(key, campaign_id, o) ORDER BY o
     ON CONFLICT DO NOTHING`,
    [sorted.map((p) => p[0]), sorted.map((p) => p[1])],
  );
}

/** The facts of a report the counters need, read back from the row the assignment updated. */
export interface AssignedRow {
  id: string;
  /** `submission/idx`, the name the plan used. */
  key: string;
  campaign_id: string;
  received_at: Date;
  reporter: string | null;
  reporter_trust: string;
  relay_ip: string | null;
  originating_ip: string | null;
  tenant_id: string | null;
}

/**
 * Sets each report's campaign. Only rows still without one are touched — with "only newly inserted
 * reports are passed in", this is what makes a redelivered job assign (and count) nothing twice.
 */
export async function setReportCampaigns(em: EntityManager, assignments: [string, string][], insertedIds: readonly string[]): Promise<AssignedRow[]> {
  if (assignments.length === 0) return [];
  const parts = assignments.map(([key]) => key.split('/'));
  return returningRows<AssignedRow>(await em.query(
    `UPDATE reports r SET campaign_id = v.campaign_id
       FROM unnest($1::uuid[], $2::int[], $3::bigint[]) AS v(submission_id, idx, campaign_id)
      WHERE r.submission_id = v.submission_id AND r.idx = v.idx AND r.id = ANY($4::uuid[]) AND r.campaign_id IS NULL
      RETURNING r.id, r.submission_id || '/' || r.idx AS key, r.campaign_id::text AS campaign_id, r.received_at, r.reporter,
                r.reporter_trust, host(r.relay_ip) AS relay_ip, host(r.originating_ip) AS originating_ip, r.tenant_id`,
    [parts.map((p) => p[0]), parts.map((p) => Number(p[1])), assignments.map((a) => a[1]), insertedIds],
  ));
}
