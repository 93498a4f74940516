import type { CompiledTenancy } from '../tenancy/compiled-tenancy.ts';
import { NOTIFY_OFF, recipientsOf, type NotifyPolicy } from './notify-policy.ts';

/** A tenant's notification policy with its resolved recipients. */
export interface TenantNotify {
  policy: NotifyPolicy;
  recipients: string[];
}

/** Reads `tenants[].notify` from the imported tenancy (absent or without recipients → off). */
export function tenantNotify(tenancy: CompiledTenancy, tenantId: string): TenantNotify {
  const t = tenancy.tenantById.get(tenantId);
  const policy = t?.notify ?? NOTIFY_OFF;
  const recipients = recipientsOf(policy, t?.abuseContact ?? null);
  return recipients.length ? { policy, recipients } : { policy: NOTIFY_OFF, recipients: [] };
}
