import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppError } from '../../shared/errors/app-error.ts';
import { loadTenancy } from '../../shared/tenancy/tenancy-store.ts';
import { compileTenancy } from '../../shared/tenancy/compile-tenancy.ts';
import { tenantNotify } from '../../shared/notifications/tenant-policies.ts';
import { recipientsOf, NOTIFY_OFF } from '../../shared/notifications/notify-policy.ts';
import { dispatchAfterCommit } from '../../shared/webhooks/outbox-dispatch.ts';

/**
 * An analyst's "notify now": one ARF per report (a digest of them when the tenant is in digest
 * mode), to the tenant's configured contacts only. The reports must be attributed to that tenant:
 * an analyst cannot mail one tenant another's reports by a typo. Bypasses the thresholds, the
 * pause and the daily cap (a person decided), and is not the automatic one-per-report notification.
 */
export async function notifyNow(ds: DataSource, tenantId: string, reportIds: string[]): Promise<string[]> {
  const loaded = await loadTenancy(ds);
  const tenancy = loaded ? compileTenancy(loaded.tenancy) : null;
  const tenant = tenancy?.tenantById.get(tenantId);
  if (!tenancy || !tenant) throw new AppError('not_found', `no tenant ${tenantId} in the imported tenancy`);
  const configured = tenantNotify(tenancy, tenantId);
  const policy = tenant.notify ?? NOTIFY_OFF;
  const recipients = configured.recipients.length ? configured.recipients : recipientsOf(policy, tenant.abuseContact);
  if (recipients.length === 0) throw new AppError('conflict', `tenant ${tenantId} has no notify.to and no abuseContact to mail`);
  const ids = [...new Set(reportIds)];
  const found: { id: string }[] = await ds.query(`SELECT id FROM reports WHERE id = ANY($1::uuid[]) AND tenant_id = $2`, [ids, tenantId]);
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw new AppError('validation_failed', `not reports of tenant ${tenantId}: ${missing.join(', ')}`, { problems: [{ field: 'reportIds', message: 'every report must be attributed to this tenant' }] });
  return ds.transaction(async (em) => {
    const rows = policy.mode === 'digest' ? [{ id: randomUUID(), channel: 'digest', reports: ids }] : ids.map((r) => ({ id: randomUUID(), channel: 'arf', reports: [r] }));
    for (const r of rows) {
      await em.query(
        `INSERT INTO notifications (id, tenant_id, channel, trigger, recipients, report_ids) VALUES ($1, $2, $3, 'manual', $4, $5::uuid[])`,
        [r.id, tenantId, r.channel, recipients, r.reports],
      );
    }
    dispatchAfterCommit(em, { notifications: rows.map((r) => r.id) });
    return rows.map((r) => r.id);
  });
}
