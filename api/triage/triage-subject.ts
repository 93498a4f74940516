import type { DataSource } from 'typeorm';
import { AppError } from '../../shared/errors/app-error.ts';
import { normalizeIp } from '../edge/params.ts';
import { invalid } from '../openapi/endpoint.ts';
import type { TriageSubject } from '../../shared/triage/triage-status.ts';

/**
 * The canonical key of a triage subject (the endpoint's schema checked its form), checked to exist: a live campaign (a merged one answers with
 * its survivor's id in the error), an IP address (any valid address: a case may open before reports),
 * a tenant of the tenancy or seen in reports.
 */
export async function subjectKey(ds: DataSource, kind: TriageSubject, raw: string): Promise<string> {
  if (kind === 'ip') {
    const ip = normalizeIp(raw);
    if (!ip) throw invalid([{ field: 'key', in: 'path', message: 'must be one IPv4 or IPv6 address (no range, no zone id)' }]);
    return ip;
  }
  if (kind === 'campaign') {
    if (!/^\d{1,18}$/.test(raw)) throw invalid([{ field: 'key', in: 'path', message: 'must be a campaign id (digits)' }]);
    const [row]: { merged_into: string | null }[] = await ds.query(`SELECT merged_into::text AS merged_into FROM campaigns WHERE id = $1`, [raw]);
    if (!row) throw new AppError('not_found', `no campaign ${raw}`);
    if (row.merged_into) throw new AppError('conflict', `campaign ${raw} was merged into ${row.merged_into}`, { mergedInto: row.merged_into });
    return raw;
  }
  const [row] = await ds.query(
    `SELECT 1 FROM tenants WHERE id = $1 UNION ALL SELECT 1 FROM (SELECT 1 FROM reports WHERE tenant_id = $1 LIMIT 1) r LIMIT 1`, [raw]);
  if (!row) throw new AppError('not_found', `no tenant ${raw}`);
  return raw;
}
