import type { HeaderField } from '../message/types.ts';
import type { CompiledTenancy } from '../../tenancy/compiled-tenancy.ts';
import type { Tenant } from '../../tenancy/tenancy.schema.ts';
import { quote, type EvidenceTrail } from './evidence.ts';

/**
 * Reading tenant ids out of the platform's tenant headers. Two kinds, kept apart because they answer
 * different questions: `platform.tenantHeaders` name the tenant of the side that wrote them last (the
 * sender in mail the platform sent, the recipient in mail it received); `platform.senderTenantHeaders`
 * always name the sending tenant.
 */

export type TenantHeaderKind = 'tenant' | 'sender';

export interface NamedTenant {
  tenant: Tenant;
  /** The id as read (lower-case), for the evidence. */
  value: string;
  header: string;
}

/** Most characters of a header value searched for the id: ids are short, hostile values are not. */
const MAX_VALUE = 1000;

/** Is this field one of the platform's tenant headers of either kind? */
export function isTenantHeader(name: string, t: CompiledTenancy): boolean {
  return t.tenantHeaders.has(name) || t.senderTenantHeaders.has(name);
}

/**
 * The id in a sender-tenant header: the whole value, or the value of the `field=` entry of a
 * `key=value;key=value` list (keys case-insensitive). Null when the entry is missing or empty.
 */
export function senderTenantId(value: string, field: string | null): string | null {
  const v = value.slice(0, MAX_VALUE);
  if (field === null) return v.trim().toLowerCase() || null;
  for (const entry of v.split(';')) {
    const eq = entry.indexOf('=');
    if (eq < 0 || entry.slice(0, eq).trim().toLowerCase() !== field) continue;
    return entry.slice(eq + 1).trim().toLowerCase() || null;
  }
  return null;
}

/**
 * The known tenants named by headers of one kind in `fields`, in header order. An id that names no
 * known tenant is one `[tenant.unknown-id]` evidence line and no result.
 */
export function tenantsNamedBy(fields: readonly HeaderField[], kind: TenantHeaderKind, t: CompiledTenancy, ev: EvidenceTrail, where: string): NamedTenant[] {
  const out: NamedTenant[] = [];
  for (const f of fields) {
    let id: string | null;
    if (kind === 'tenant') {
      if (!t.tenantHeaders.has(f.name)) continue;
      id = f.value.slice(0, MAX_VALUE).trim().toLowerCase() || null;
    } else {
      const field = t.senderTenantHeaders.get(f.name);
      if (field === undefined) continue;
      id = senderTenantId(f.value, field);
    }
    const tenant = id === null ? undefined : t.tenantByExternalId.get(id);
    if (tenant) out.push({ tenant, value: id!, header: f.name });
    else ev.add(null, 'tenant.unknown-id', `${f.name}: ${quote(f.value)} ${where} names no known tenant; kept as evidence, tenant stays null`);
  }
  return out;
}
