import type { SigningDomain, Tenancy, Tenant } from './tenancy.schema.ts';

/** Membership test over a set of networks (built once from CIDRs). */
export interface IpSet {
  has(ip: string): boolean;
}

/**
 * The tenancy in the form attribution reads: sets and maps built once per tenancy version, so the
 * per-message work is lookups only.
 */
export interface CompiledTenancy {
  readonly source: Tenancy;
  readonly platformNetworks: IpSet;
  readonly trustedRelays: IpSet;
  /** Lower-case suffixes of the platform's own host names. */
  readonly platformHostnames: readonly string[];
  /** Lower-case header names that carry a tenant external id. */
  readonly tenantHeaders: ReadonlySet<string>;
  /** Lower-case header names that carry the submitting client's IP (rule 4), in the file's order. */
  readonly originatingIpHeaders: readonly string[];
  /** Lower-case header name → lower-case `key=` of the entry holding the sending tenant's id (null: the whole value). */
  readonly senderTenantHeaders: ReadonlyMap<string, string | null>;
  /** The platform strips its tenant headers from mail entering from outside (see the schema). */
  readonly headerFirewall: boolean;
  /** The platform's egress ranges (a part of `platformNetworks`); empty when not configured. */
  readonly egressNetworks: IpSet;
  readonly hasEgressNetworks: boolean;
  readonly tenantById: ReadonlyMap<string, Tenant>;
  /** Lower-case external id → tenant. */
  readonly tenantByExternalId: ReadonlyMap<string, Tenant>;
  /** Lower-case domain → tenant (exact; callers walk up the labels for subdomains). */
  readonly tenantByDomain: ReadonlyMap<string, Tenant>;
  /** Tenants with dedicated egress networks. */
  readonly tenantNetworks: readonly { tenant: Tenant; set: IpSet }[];
  /** Lower-case feedback-loop From address → provider name. */
  readonly feedbackLoopByFrom: ReadonlyMap<string, string>;
  /** Configured feedback-loop names (a channel bound to one of these may anchor on its Source-IP). */
  readonly feedbackLoopNames: ReadonlySet<string>;
  /** Each loop with `sourceNetworks`: SMTP clients inside them are bound to that loop. */
  readonly feedbackLoopSources: readonly { name: string; set: IpSet }[];
  /** Lower-case platform signing domain → its selectors and keys. */
  readonly signingDomains: ReadonlyMap<string, readonly SigningDomain[]>;
}
