import { CidrSet } from '../analysis/net/index.ts';
import type { CompiledTenancy } from './compiled-tenancy.ts';
import { EMPTY_TENANCY, type SigningDomain, type Tenancy, type Tenant } from './tenancy.schema.ts';

/**
 * Builds the lookup form of a validated tenancy once (per file load or per imported version):
 * CidrSets for the networks, maps for external ids, domains, feedback loops and signing domains.
 */
export function compileTenancy(tenancy: Tenancy): CompiledTenancy {
  const tenantByExternalId = new Map<string, Tenant>();
  const tenantByDomain = new Map<string, Tenant>();
  for (const t of tenancy.tenants) {
    for (const id of t.externalIds) tenantByExternalId.set(id.toLowerCase(), t);
    for (const d of t.domains) tenantByDomain.set(d.toLowerCase(), t);
  }
  const signingDomains = new Map<string, SigningDomain[]>();
  for (const s of tenancy.platform.signingDomains) {
    const list = signingDomains.get(s.domain) ?? [];
    list.push(s);
    signingDomains.set(s.domain, list);
  }
  return Object.freeze({
    source: tenancy,
    platformNetworks: new CidrSet(tenancy.platform.networks),
    trustedRelays: new CidrSet(tenancy.trustedRelays),
    platformHostnames: tenancy.platform.hostnames,
    tenantHeaders: new Set(tenancy.platform.tenantHeaders),
    originatingIpHeaders: tenancy.platform.originatingIpHeaders,
    senderTenantHeaders: new Map(tenancy.platform.senderTenantHeaders.map((h) => [h.name, h.field])),
    headerFirewall: tenancy.platform.headerFirewall,
    egressNetworks: new CidrSet(tenancy.platform.egressNetworks),
    hasEgressNetworks: tenancy.platform.egressNetworks.length > 0,
    tenantById: new Map(tenancy.tenants.map((t) => [t.id, t])),
    tenantByExternalId,
    tenantByDomain,
    tenantNetworks: tenancy.tenants.filter((t) => t.networks.length > 0).map((t) => ({ tenant: t, set: new CidrSet(t.networks) })),
    feedbackLoopByFrom: new Map(tenancy.feedbackLoops.map((f) => [f.from.toLowerCase(), f.name])),
    feedbackLoopNames: new Set(tenancy.feedbackLoops.map((f) => f.name)),
    feedbackLoopSources: tenancy.feedbackLoops.filter((f) => f.sourceNetworks.length > 0).map((f) => ({ name: f.name, set: new CidrSet(f.sourceNetworks) })),
    signingDomains,
  });
}

/** The tenancy used when none is configured: no platform, so mail is foreign or unknown. */
export const EMPTY_COMPILED_TENANCY: CompiledTenancy = compileTenancy(EMPTY_TENANCY);
