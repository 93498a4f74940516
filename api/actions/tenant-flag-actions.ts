import type { DataSource } from 'typeorm';
import { AppError } from '../../shared/errors/app-error.ts';
import { recordAction } from './audit.ts';

/**
 * Clearing a tenant's open flag once an analyst handled it: behind
 * `POST /v1/tenant-flags/:tenant/clear` and the tenant page's form. The reason is kept in the
 * flag's own reasons (what the API has always shown) and in the audit, in one transaction.
 */
export async function clearTenantFlag(ds: DataSource, tenant: string, reason: string, actor: string): Promise<void> {
  const cleared = await ds.transaction(async (em) => {
    // TypeORM answers an UPDATE with [rows, affectedCount].
    const [, updated] = (await em.query(
      `UPDATE tenant_flags SET cleared_at = now(), reasons = reasons || $2::jsonb WHERE tenant_id = $1 AND cleared_at IS NULL`,
      [tenant, JSON.stringify([`cleared by ${actor}: ${reason}`])],
    )) as [unknown[], number];
    if (updated > 0) await recordAction(em, { actor, action: 'tenant-flag.clear', subject: { kind: 'tenant', key: tenant }, reason });
    return updated > 0;
  });
  if (!cleared) throw new AppError('not_found', `tenant ${tenant} has no open flag`);
}
