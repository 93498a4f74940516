import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The window count of `campaign.detected` in campaign_commit (migration 1764420000002), before and after. */
const ANY_TRUST = `AND r.received_at > due.latest - interval '1 hour' AND r.received_at <= due.latest LIMIT threshold`;
const TRUSTED = `AND r.received_at > due.latest - interval '1 hour' AND r.received_at <= due.latest
                      AND (p->'alert_trusts' IS NULL OR r.reporter_trust::text IN (SELECT jsonb_array_elements_text(p->'alert_trusts'))) LIMIT threshold`;

/**
 * `campaign.detected` counts only reports at or above REPUTATION_MIN_TRUST (the payload's
 * `alert_trusts`): a hundred anonymous web reports from a stranger's proxies could raise an alert for
 * any content they chose, and the desk's automation acts on these events. The function is rewritten
 * from its stored definition, this one clause changed, so the rest of it stays the one in 1764420000002.
 */
export class CampaignAlertTrust1764520000000 implements MigrationInterface {
  name = 'CampaignAlertTrust1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await rewrite(q, ANY_TRUST, TRUSTED);
  }

  async down(q: QueryRunner): Promise<void> {
    await rewrite(q, TRUSTED, ANY_TRUST);
  }
}

async function rewrite(q: QueryRunner, from: string, to: string): Promise<void> {
  const [row]: { def: string }[] = await q.query(`SELECT pg_get_functiondef('campaign_commit(jsonb)'::regprocedure) AS def`);
  const def = row!.def;
  if (!def.includes(from)) throw new Error('campaign_commit is not the definition this migration expects; refusing to rewrite it');
  await q.query(def.replace(from, to));
}
