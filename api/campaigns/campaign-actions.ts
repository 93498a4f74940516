import type { DataSource } from 'typeorm';
import { AppError } from '../../shared/errors/app-error.ts';
import { mergeCampaigns } from '../../shared/campaigns/store/campaign-merge.ts';
import { splitReport } from '../../shared/campaigns/store/campaign-split.ts';
import { featuresOfSubmissions } from '../../shared/campaigns/store/report-features.ts';
import { audit } from '../triage/triage-store.ts';

/** Merge and split as one audited transaction each; shared by the API and the UI forms. */
export async function mergeAction(ds: DataSource, into: string, from: string, actor: string): Promise<void> {
  await ds.transaction(async (em) => {
    await mergeCampaigns(em, into, from);
    await audit(em, 'campaign', into, actor, 'merge', { from });
    await audit(em, 'campaign', from, actor, 'merged-into', { into });
  });
}

export async function splitAction(ds: DataSource, campaignId: string, reportId: string, actor: string): Promise<string> {
  const [report]: { submission_id: string; idx: number }[] = await ds.query(
    `SELECT submission_id::text AS submission_id, idx FROM reports WHERE id = $1 AND campaign_id = $2`, [reportId, campaignId]);
  if (!report) throw new AppError('not_found', `report ${reportId} is not in campaign ${campaignId}`);
  // Features from the raw message, read before the transaction: parsing holds no locks.
  const features = (await featuresOfSubmissions(ds.manager, [report.submission_id])).get(report.submission_id)?.[report.idx] ?? null;
  return ds.transaction(async (em) => {
    const created = await splitReport(em, campaignId, reportId, features);
    await audit(em, 'campaign', campaignId, actor, 'split', { reportId, to: created });
    await audit(em, 'campaign', created, actor, 'split-from', { reportId, from: campaignId });
    return created;
  });
}
