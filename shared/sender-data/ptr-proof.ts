import { Resolver } from 'node:dns/promises';
import { getDomain } from 'tldts';
import type { OwnerRange } from './owner-range.ts';
import { ptrSample } from './ptr-sample.ts';

export interface PtrProof {
  /** Registrable domains the sampled PTR names point into, sorted; the candidates for postmaster@/abuse@. */
  domains: string[];
  /** How many addresses were looked up, and how many had a PTR record. */
  sampled: number;
  named: number;
}

export interface PtrOptions {
  /** `DNS_SERVERS` (already parsed); undefined → the system resolver. */
  servers?: string[];
  sample: number;
  /** Per-query timeout in ms. @defaultValue 2000 */
  timeoutMs?: number;
}

/**
 * SNDS-style proof of a range: the PTR records of (a sample of) its addresses name host names;
 * the registrable domains of those names (public-suffix aware, via tldts) are the domains whose
 * postmaster@ or abuse@ may vouch for the range. An address without a PTR, or a failing look-up,
 * simply contributes nothing.
 */
export async function ptrDomains(range: OwnerRange, opts: PtrOptions): Promise<PtrProof> {
  const resolver = new Resolver({ timeout: opts.timeoutMs ?? 2000, tries: 2 });
  if (opts.servers) resolver.setServers(opts.servers);
  const addresses = ptrSample(range, opts.sample);
  const domains = new Set<string>();
  let named = 0;
  // Eight look-ups at a time: a /24 is answered in a few round trips without flooding a resolver.
  for (let i = 0; i < addresses.length; i += 8) {
    const answers = await Promise.all(addresses.slice(i, i + 8).map((a) => resolver.reverse(a).catch(() => [] as string[])));
    for (const names of answers) {
      if (names.length) named++;
      for (const name of names) {
        const d = getDomain(name.replace(/\.$/, '').toLowerCase());
        if (d && /^[a-z0-9.-]{1,253}$/.test(d)) domains.add(d);
      }
    }
  }
  resolver.cancel();
  return { domains: [...domains].sort(), sampled: addresses.length, named };
}

/** The mailboxes SNDS accepts as proof for a domain. */
export const PROOF_LOCAL_PARTS = ['postmaster', 'abuse'] as const;
