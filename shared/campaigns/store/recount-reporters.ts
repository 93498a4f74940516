import type { EntityManager } from 'typeorm';

/**
 * After a report's trust changed (a confirmed web report, an analyst's promotion or demotion), the
 * distinct reporters per trust level of its campaign are recounted from the campaign's reports
 * (`campaign_recount_reporters`, migration 1764420000002). Idempotent: a second run counts the same.
 */
export async function recountCampaignReporters(em: EntityManager, reportIds: readonly string[]): Promise<void> {
  if (reportIds.length === 0) return;
  await em.query(
    `SELECT campaign_recount_reporters(ARRAY(SELECT DISTINCT campaign_id FROM reports WHERE id = ANY($1::uuid[]) AND campaign_id IS NOT NULL ORDER BY 1))`,
    [reportIds],
  );
}
