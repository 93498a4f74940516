import { Resolver } from 'node:dns/promises';
import { getDomain } from 'tldts';
import type { OwnerRange } from './owner-range.ts';
import { ptrSample } from './ptr-sample.ts';

export interface PtrProof {
  /** Registrable domains whose PTR names cover PTR_COVERAGE of the sample, sorted; the candidates for postmaster@/abuse@. */
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
 * Share of the sampled addresses a domain's PTR names must cover to vouch for the range. One
 * address's PTR is not the range: whoever controls the PTR of one host (a customer with a delegated
 * /29, say) must not be offered the mailbox that unlocks the data of the provider's whole /24.
 */
export const PTR_COVERAGE = 0.75;

/**
 * SNDS-style proof of a range: the PTR records of (a spread sample of) its addresses name host
 * names; a registrable domain of those names (public-suffix aware, via tldts) whose names cover at
 * least PTR_COVERAGE of the sample is a domain whose postmaster@ or abuse@ may vouch for the range.
 * An address without a PTR, or a failing look-up, counts against every domain.
 */
export async function ptrDomains(range: OwnerRange, opts: PtrOptions): Promise<PtrProof> {
  const resolver = new Resolver({ timeout: opts.timeoutMs ?? 2000, tries: 2 });
  if (opts.servers) resolver.setServers(opts.servers);
  const addresses = ptrSample(range, opts.sample);
  // Per domain, how many sampled addresses it names (an address with two names in one domain counts once).
  const covered = new Map<string, number>();
  let named = 0;
  // Eight look-ups at a time: a /24 is answered in a few round trips without flooding a resolver.
  for (let i = 0; i < addresses.length; i += 8) {
    const answers = await Promise.all(addresses.slice(i, i + 8).map((a) => resolver.reverse(a).catch(() => [] as string[])));
    for (const names of answers) {
      if (names.length) named++;
      const mine = new Set<string>();
      for (const name of names) {
        const d = getDomain(name.replace(/\.$/, '').toLowerCase());
        if (d && /^[a-z0-9.-]{1,253}$/.test(d)) mine.add(d);
      }
      for (const d of mine) covered.set(d, (covered.get(d) ?? 0) + 1);
    }
  }
  resolver.cancel();
  const needed = Math.ceil(addresses.length * PTR_COVERAGE);
  const domains = [...covered].filter(([, n]) => n >= needed).map(([d]) => d);
  return { domains: domains.sort(), sampled: addresses.length, named };
}

/** The mailboxes SNDS accepts as proof for a domain. */
export const PROOF_LOCAL_PARTS = ['postmaster', 'abuse'] as const;
