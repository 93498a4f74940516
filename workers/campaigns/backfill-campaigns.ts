import type { DataSource } from 'typeorm';
import { featuresOfSubmissions } from '../../shared/campaigns/store/report-features.ts';
import { assignCampaigns, type CampaignContext, type CampaignItem } from './assign-campaigns.ts';

export interface BackfillProgress {
  /** Reports looked at so far (assigned or not). */
  done: number;
  assigned: number;
  /** Reports whose raw message retention removed (no features to judge). */
  missingRaw: number;
}

/**
 * Assigns existing reports to campaigns, oldest first, `batch` reports per transaction, through the
 * worker's own assignment step. Features are recomputed from each report's raw message through the
 * analysis core (reports store none). Idempotent and resumable: only reports without a campaign are
 * read, and the step's `campaign_id IS NULL` guard makes a concurrent worker or a second run harmless;
 * a report that cannot be judged stays without one (it is read again by a later run, and skipped).
 */
export async function backfillCampaigns(ds: DataSource, ctx: CampaignContext, batch: number, onProgress: (p: BackfillProgress) => void): Promise<BackfillProgress> {
  const progress: BackfillProgress = { done: 0, assigned: 0, missingRaw: 0 };
  let after: [string, string] = ['-infinity', '00000000-0000-0000-0000-000000000000'];
  for (;;) {
    const rows: { id: string; submission_id: string; idx: number; received_at: Date; subject: string | null; ts: string }[] = await ds.query(
      `SELECT id::text AS id, submission_id::text AS submission_id, idx, received_at, subject,
              to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts
         FROM reports WHERE campaign_id IS NULL AND (received_at, id) > ($1::timestamptz, $2::uuid)
        ORDER BY received_at, id LIMIT $3`,
      [after[0], after[1], batch],
    );
    if (rows.length === 0) return progress;
    after = [rows[rows.length - 1]!.ts, rows[rows.length - 1]!.id];
    const features = await featuresOfSubmissions(ds.manager, [...new Set(rows.map((r) => r.submission_id))]);
    const items: CampaignItem[] = [];
    for (const r of rows) {
      const list = features.get(r.submission_id);
      if (!list) {
        progress.missingRaw++;
        continue;
      }
      const content = list[r.idx] ?? null;
      // Only the features matter to the step; the rest of the report is read back from its row.
      items.push({ submissionId: r.submission_id, idx: r.idx, receivedAt: r.received_at, report: { content, subject: r.subject } as CampaignItem['report'] });
    }
    // URL domains are counted for the reports assigned here only: a report that cannot be judged is
    // read again by every run, and must not be counted again.
    const assigned = (await ds.transaction((em) => assignCampaigns(em, items, rows.map((r) => r.id), { ...ctx, countUrlDomains: false }))).size;
    progress.done += rows.length;
    progress.assigned += assigned;
    onProgress({ ...progress });
  }
}
