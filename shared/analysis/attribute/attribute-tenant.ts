import type { Direction, TenantConfidence } from '../types.ts';
import type { HeaderField } from '../message/types.ts';
import type { CompiledTenancy } from '../../tenancy/compiled-tenancy.ts';
import type { Tenant } from '../../tenancy/tenancy.schema.ts';
import { domainAndParents, domainOf, firstAddress } from './addresses.ts';
import { quote, type EvidenceTrail } from './evidence.ts';
import { isTenantHeader, tenantsNamedBy } from './tenant-headers.ts';
import { signatureDomain, type VerifiedSignature } from './verify-signatures.ts';

/**
 * Tenant attribution (the contract's "Originating tenant"): gather every signal, keep the strongest,
 * and record a conflict when signals name different tenants. Only for `outbound`, and for `unknown`
 * from the From/envelope domain alone. In mail the platform received (`inbound`, and platform-to-platform
 * mail) the tenant headers name the recipient's tenant; the sender's comes from the sender-tenant headers.
 */

export interface TenantInput {
  direction: Direction;
  relayIp: string | null;
  /** The whole header section, top first. */
  headers: readonly HeaderField[];
  /** How many leading fields of `headers` are trusted (above the walk's deciding hop). */
  trustedFieldCount: number;
  verified: readonly VerifiedSignature[];
  /** The platform received this message: its tenant headers name the recipient. */
  receivedByPlatform: boolean;
  /**
   * The platform's header firewall vouches for its tenant headers wherever they sit: the tenancy says
   * the platform has one, and the message demonstrably left through (or was received by) the platform.
   */
  firewall: boolean;
}

export interface TenantResult {
  tenant: string | null;
  tenantConfidence: TenantConfidence | null;
  recipientTenant: string | null;
  conflict: boolean;
  /** DKIM d= of the first signature, for the sending domain. */
  dkimDomain: string | null;
}

interface Signal {
  level: TenantConfidence;
  tenant: string;
  why: string;
}

const RANK: Record<TenantConfidence, number> = { verified: 4, high: 3, medium: 2, low: 1 };

function tenantForDomain(domain: string | null, t: CompiledTenancy): Tenant | null {
  if (!domain) return null;
  for (const d of domainAndParents(domain)) {
    const found = t.tenantByDomain.get(d);
    if (found) return found;
  }
  return null;
}

export function attributeTenant(input: TenantInput, t: CompiledTenancy, ev: EvidenceTrail): TenantResult {
  const { headers, trustedFieldCount } = input;
  const dkimDomains = headers.filter((h) => h.name === 'dkim-signature').map((h) => signatureDomain(h.value)).filter((d): d is string => !!d);
  const base = { dkimDomain: dkimDomains[0] ?? null, conflict: false, recipientTenant: null, tenant: null, tenantConfidence: null };

  // The platform's own headers: above the hop that ended the walk, or anywhere behind a header firewall.
  const readable = input.firewall ? headers : headers.slice(0, trustedFieldCount);
  const where = input.firewall ? '(header firewall: genuine wherever it sits)' : '(trusted position)';
  if (input.firewall) ev.add(null, 'tenant.firewall', 'platform.headerFirewall and the platform handled this message: its tenant headers are read wherever they sit');
  else {
    for (const f of headers.slice(trustedFieldCount)) {
      if (isTenantHeader(f.name, t)) ev.add(null, 'tenant.untrusted-header', `${f.name}: ${quote(f.value)} is below the hop that ended the walk: ignored (anyone can write it)`);
    }
  }

  // In mail the platform received, its tenant header was written at the receiving end.
  const recipientTenant = input.receivedByPlatform ? (tenantsNamedBy(readable, 'tenant', t, ev, '(recipient side)')[0]?.tenant.id ?? null) : null;
  if (input.direction === 'inbound') {
    ev.add(null, 'tenant.inbound', `inbound: no originating tenant${recipientTenant ? `; the tenant header names the recipient's tenant ${recipientTenant}` : ''}`);
    return { ...base, recipientTenant };
  }
  if (input.direction === 'foreign') {
    ev.add(null, 'tenant.foreign', 'foreign: the message did not pass through the platform, so no tenant');
    return base;
  }
  if (recipientTenant) ev.add(null, 'tenant.recipient', `platform-to-platform: the tenant header names the recipient's tenant ${recipientTenant}, never the sender's`);

  const signals: Signal[] = [];
  const fromAddr = firstAddress(headers.find((h) => h.name === 'from')?.value);
  const envAddr = firstAddress(headers.find((h) => h.name === 'return-path')?.value);
  for (const [label, addr] of [['From', fromAddr], ['envelope sender', envAddr]] as const) {
    const tenant = tenantForDomain(domainOf(addr), t);
    if (tenant) signals.push({ level: 'low', tenant: tenant.id, why: `${label} domain ${quote(domainOf(addr))} is a domain of ${tenant.id} (spoofable)` });
  }

  if (input.direction === 'outbound') {
    // In mail the platform received, even a signed tenant header may be the receiving side's (an ARC seal
    // added on receipt covers what the receiving side stamped): only sender-tenant headers count there.
    const signedKinds = input.receivedByPlatform ? (['sender'] as const) : (['tenant', 'sender'] as const);
    for (const sig of input.verified) {
      for (const kind of signedKinds) {
        for (const { tenant, value, header } of tenantsNamedBy(sig.signedHeaders, kind, t, ev, `(signed by ${sig.domain})`)) {
          signals.push({ level: 'verified', tenant: tenant.id, why: `${sig.type} signature by platform domain ${sig.domain} verifies and covers ${header} naming ${quote(value)} → ${tenant.id}` });
        }
      }
    }
    if (!input.receivedByPlatform) {
      for (const { tenant, value } of tenantsNamedBy(readable, 'tenant', t, ev, where)) {
        signals.push({ level: 'high', tenant: tenant.id, why: `tenant header ${where} names ${quote(value)} → ${tenant.id}` });
      }
    }
    for (const { tenant, value, header } of tenantsNamedBy(readable, 'sender', t, ev, where)) {
      signals.push({ level: 'high', tenant: tenant.id, why: `sender-tenant header ${header} ${where} names ${quote(value)} → ${tenant.id}` });
    }
    if (input.relayIp) {
      for (const { tenant, set } of t.tenantNetworks) {
        if (set.has(input.relayIp)) signals.push({ level: 'high', tenant: tenant.id, why: `relayIp ${input.relayIp} is in ${tenant.id}'s dedicated networks` });
      }
    }
    for (const d of new Set(dkimDomains)) {
      const tenant = tenantForDomain(d, t);
      if (tenant) signals.push({ level: 'medium', tenant: tenant.id, why: `DKIM-Signature d=${quote(d)} (not verified) is a domain of ${tenant.id}` });
    }
  }

  if (signals.length === 0) {
    ev.add(null, 'tenant.none', input.direction === 'unknown' ? 'unknown direction and no From/envelope domain of a tenant: no tenant' : 'no tenant signal');
    return { ...base, recipientTenant };
  }
  // Stable sort: within a level the order above (verified, header, sender header, network, d=) decides.
  signals.sort((a, b) => RANK[b.level] - RANK[a.level]);
  const best = signals[0]!;
  for (const s of signals) ev.add(null, `tenant.${s.level}`, s.why);
  const others = signals.filter((s) => s.tenant !== best.tenant);
  const conflict = others.length > 0;
  if (conflict) {
    ev.add(null, 'tenant.conflict', `signals disagree: ${best.level} says ${best.tenant}, ${others.map((o) => `${o.level} says ${o.tenant}`).join(', ')}; keeping the strongest`);
  }
  ev.add(null, 'tenant.decision', `tenant ${best.tenant} with confidence ${best.level}`);
  return { ...base, tenant: best.tenant, tenantConfidence: best.level, conflict, recipientTenant };
}
