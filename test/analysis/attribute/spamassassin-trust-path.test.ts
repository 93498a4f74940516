import { expect } from 'chai';
import { analyzeSubmission } from '../../../shared/analysis/analyze.ts';
import type { AnalyzedReport } from '../../../shared/analysis/types.ts';
import { compileTenancy } from '../../../shared/tenancy/compile-tenancy.ts';
import { tenancySchema } from '../../../shared/tenancy/tenancy.schema.ts';

/**
 * SpamAssassin's own trust-path cases (apache/spamassassin, t/trust_path.t), restated as data: each case's
 * trusted_networks / internal_networks / msa_networks, its Received lines, and the relays SpamAssassin puts in
 * X-Spam-Trusted and X-Spam-Untrusted. Our walk must find SpamAssassin's first untrusted relay: the relay IP of
 * foreign mail, and no outside relay when every hop is trusted (docs/attribution.md, decision 19).
 *
 * The mapping (what SpamAssassin's settings are in a tenancy):
 * - trusted_networks and internal_networks → `trustedRelays` (SpamAssassin trusts both; internal_networks alone
 *   is documented to stand for trusted_networks). 127/8 and 10/8 are internal addresses for us already.
 * - A negation (`!1.1.1.2`) has no syntax in a tenancy file, but the set it leaves is a list of CIDRs: the test
 *   expands each list the way SpamAssassin's netset reads it (first match wins) into the CIDRs that remain.
 * - msa_networks → `platform.networks` (an MSA is the submission server of the platform; its client is the
 *   originating IP, the MSA the relay, `viaPlatform`). SpamAssassin trusts the MSA's client for the same reason:
 *   it is the authenticated submitter, no outside relay. An MSA outside trusted_networks is a lint error there
 *   and is left out here (case 21). `platform.hostnames` names no host of these chains, so no hop reads as the
 *   platform *receiving* mail.
 * - Not carried over: the lint errors and netset warnings SpamAssassin prints for contradictory settings
 *   (our tenancy file is validated by its schema instead), and `intl=` (internal vs trusted is one class for us).
 */

interface TrustCase {
  why: string;
  trusted?: string[];
  internal?: string[];
  msa?: string[];
  /** Received values, top (newest) first. */
  received: string[];
  /** SpamAssassin's X-Spam-Trusted and X-Spam-Untrusted relay IPs, in order. */
  sa: { trusted: string[]; untrusted: string[] };
  /** The MSA cases: our relay (the MSA) and originating IP (its client) for what SpamAssassin calls trusted. */
  viaMsa?: { relayIp: string; originatingIp: string };
}

const hop = (ip: string): string => `from sender.net (${ip}) by receiver.net with SMTP; 10 Nov 2005 00:00:00 -0000`;
const MSA_CHAIN = [hop('1.1.1.1'), hop('1.1.1.2'), hop('5.5.5.5')];

const CASES: TrustCase[] = [
  { why: '127/8 implicitly trusted as default', received: [hop('127.0.1.2')], sa: { trusted: ['127.0.1.2'], untrusted: [] } },
  { why: '127/8 explicitly trusted', trusted: ['127/8'], received: [hop('127.0.1.2')], sa: { trusted: ['127.0.1.2'], untrusted: [] } },
  { why: '127/8 explicitly trusted along with others', trusted: ['127/8', '1.2.2.1'], received: [hop('127.0.1.2')], sa: { trusted: ['127.0.1.2'], untrusted: [] } },
  {
    why: '127/8 explicitly untrusted, which is not possible', trusted: ['1.2/16', '!127/8'], internal: ['1.2/16', '!127/8'],
    received: [hop('127.0.1.2')], sa: { trusted: ['127.0.1.2'], untrusted: [] },
  },
  { why: '127/8 implicitly trusted', trusted: ['1.2/16'], received: [hop('127.0.1.2')], sa: { trusted: ['127.0.1.2'], untrusted: [] } },
  { why: '10/8 implicitly trusted by auto-detection', received: [hop('10.0.1.2')], sa: { trusted: ['10.0.1.2'], untrusted: [] } },
  { why: 'trusted, then not: first match wins', trusted: ['1.2/16', '!1.2/16'], received: [hop('1.2.3.2')], sa: { trusted: ['1.2.3.2'], untrusted: [] } },
  { why: 'a public hop outside trusted_networks', trusted: ['1.2/16'], received: [hop('1.1.1.2')], sa: { trusted: [], untrusted: ['1.1.1.2'] } },
  { why: 'a hop inside trusted_networks', trusted: ['1.1/16'], received: [hop('1.1.1.2')], sa: { trusted: ['1.1.1.2'], untrusted: [] } },
  { why: 'trusted and internal', trusted: ['1.1/16'], internal: ['1.1/16'], received: [hop('1.1.1.2')], sa: { trusted: ['1.1.1.2'], untrusted: [] } },
  { why: 'internal_networks alone stands for trusted_networks', internal: ['1.1/16'], received: [hop('1.1.1.2')], sa: { trusted: ['1.1.1.2'], untrusted: [] } },
  {
    why: 'trusted but not internal', trusted: ['1.1/16', '1.2/16'], internal: ['1.2/16'],
    received: [hop('1.1.1.2')], sa: { trusted: ['1.1.1.2'], untrusted: [] },
  },
  { why: 'lint error: internal not inside trusted (1)', trusted: ['1.1/16'], internal: ['1.2.8/24'], received: [hop('1.1.1.2')], sa: { trusted: ['1.1.1.2'], untrusted: [] } },
  { why: 'lint error: internal not inside trusted (2)', trusted: ['1.1.1/24'], internal: ['1.1/16'], received: [hop('1.1.1.2')], sa: { trusted: ['1.1.1.2'], untrusted: [] } },
  {
    why: 'lint error: internal not inside trusted (3)', trusted: ['!1.1.1.1', '1.1/16'], internal: ['1.1.1.1'],
    received: [hop('1.1.1.2')], sa: { trusted: ['1.1.1.2'], untrusted: [] },
  },
  { why: 'excluding after including changes nothing', trusted: ['1/8', '!1.1.1.2'], received: [hop('1.1.1.2')], sa: { trusted: ['1.1.1.2'], untrusted: [] } },
  { why: 'a pointless exclusion in internal_networks', trusted: ['1.1/16'], internal: ['!4.3.2.1', '1.1/16'], received: [hop('1.1.1.2')], sa: { trusted: ['1.1.1.2'], untrusted: [] } },
  {
    why: 'msa_networks: MSA trusted and internal', trusted: ['1.1/16'], msa: ['1.1.1.2'], received: MSA_CHAIN,
    sa: { trusted: ['1.1.1.1', '1.1.1.2', '5.5.5.5'], untrusted: [] }, viaMsa: { relayIp: '1.1.1.2', originatingIp: '5.5.5.5' },
  },
  {
    why: 'msa_networks: MSA trusted, not internal', trusted: ['1.1/16'], internal: ['!1.1.1.2', '1.1/16'], msa: ['1.1.1.2'], received: MSA_CHAIN,
    sa: { trusted: ['1.1.1.1', '1.1.1.2', '5.5.5.5'], untrusted: [] }, viaMsa: { relayIp: '1.1.1.2', originatingIp: '5.5.5.5' },
  },
  {
    why: 'msa_networks: the MSA is below the trust boundary', trusted: ['!1.1.1.2', '1.1/16', '5.5.5.5'], msa: ['5.5.5.5'], received: MSA_CHAIN,
    sa: { trusted: ['1.1.1.1'], untrusted: ['1.1.1.2', '5.5.5.5'] },
  },
  {
    why: 'msa_networks: an MSA that is not trusted cannot be one (lint error)', trusted: ['1.1/16'], msa: ['5.5.5.5'], received: MSA_CHAIN,
    sa: { trusted: ['1.1.1.1', '1.1.1.2'], untrusted: ['5.5.5.5'] },
  },
  { why: 'short CIDR overlap: 1/8 then !1/8', trusted: ['1/8', '!1/8'], received: [hop('1.1.1.1')], sa: { trusted: ['1.1.1.1'], untrusted: [] } },
  { why: 'short CIDR overlap: !1/8 then 1/8', trusted: ['!1/8', '1/8'], received: [hop('1.1.1.1')], sa: { trusted: [], untrusted: ['1.1.1.1'] } },
];

// --- SpamAssassin's netset notation, read into the CIDR lists a tenancy holds (IPv4: every case is) ---

type Net = { base: number; bits: number };

/** `1.2/16` → 1.2.0.0/16, `1.1.1.2` → /32, as SpamAssassin reads short forms. */
function parseNet(s: string): Net {
  const [addr, len] = s.split('/');
  const octets = addr!.split('.').map(Number);
  while (octets.length < 4) octets.push(0);
  const bits = len === undefined ? 32 : Number(len);
  const value = octets.reduce((v, o) => v * 256 + o, 0);
  const size = 2 ** (32 - bits);
  return { base: value - (value % size), bits };
}

function contains(outer: Net, inner: Net): boolean {
  return inner.bits >= outer.bits && Math.floor(inner.base / 2 ** (32 - outer.bits)) === Math.floor(outer.base / 2 ** (32 - outer.bits));
}

/** `net` without `hole`, as CIDRs (halving until the pieces are inside or outside the hole). */
function subtract(net: Net, hole: Net): Net[] {
  if (contains(hole, net)) return [];
  if (!contains(net, hole)) return [net];
  const half = 2 ** (32 - net.bits - 1);
  return [...subtract({ base: net.base, bits: net.bits + 1 }, hole), ...subtract({ base: net.base + half, bits: net.bits + 1 }, hole)];
}

/** The addresses a netset list trusts, first match wins: each positive entry minus the negations before it. */
function effective(list: readonly string[]): Net[] {
  const out: Net[] = [];
  const holes: Net[] = [];
  for (const entry of list) {
    if (entry.startsWith('!')) {
      holes.push(parseNet(entry.slice(1)));
      continue;
    }
    let pieces = [parseNet(entry)];
    for (const hole of holes) pieces = pieces.flatMap((p) => subtract(p, hole));
    out.push(...pieces);
  }
  return out;
}

function cidr(n: Net): string {
  const o = [24, 16, 8, 0].map((s) => Math.floor(n.base / 2 ** s) % 256);
  return `${o.join('.')}/${n.bits}`;
}

function tenancyFor(c: TrustCase) {
  const trusted = [...effective(c.trusted ?? []), ...effective(c.internal ?? [])];
  // An MSA counts only inside the trust boundary (SpamAssassin's lint rule).
  const msa = effective(c.msa ?? []).filter((m) => trusted.some((t) => contains(t, m)));
  return compileTenancy(tenancySchema.parse({
    platform: { networks: msa.map(cidr), hostnames: ['msa.invalid'] },
    trustedRelays: trusted.map(cidr),
  }));
}

/** SpamAssassin's first untrusted relay, as our result says it: none when the message came through the MSA. */
function firstUntrusted(r: AnalyzedReport): string | null {
  return r.viaPlatform ? null : r.relayIp;
}

describe('SpamAssassin t/trust_path.t: the first untrusted relay', () => {
  CASES.forEach((c, i) => {
    it(`case ${i + 1}: ${c.why}`, async () => {
      const raw = Buffer.from(`${c.received.map((v) => `Received: ${v}`).join('\n')}\nSubject: trust path\n\n[no body]\n`);
      const [r, ...rest] = (await analyzeSubmission(raw, tenancyFor(c))).reports;
      expect(rest).to.deep.equal([]);
      // Each relay is read as SpamAssassin reads it (ip, rdns and helo "sender.net", by "receiver.net").
      for (const h of r!.hops) expect({ rdns: h.rdns, helo: h.helo, by: h.by }).to.deep.equal({ rdns: 'sender.net', helo: 'sender.net', by: 'receiver.net' });
      expect(r!.hops.map((h) => h.ip)).to.deep.equal([...c.sa.trusted, ...c.sa.untrusted]);
      expect(firstUntrusted(r!)).to.equal(c.sa.untrusted[0] ?? null);
      if (c.viaMsa) {
        expect(r!).to.deep.include({ direction: 'outbound', viaPlatform: true, ...c.viaMsa });
      } else if (c.sa.untrusted.length > 0) {
        expect(r!).to.deep.include({ direction: 'foreign', relayIp: c.sa.untrusted[0], originatingIp: c.sa.untrusted[0] });
      } else {
        expect(r!).to.deep.include({ direction: 'unknown', relayIp: null });
      }
    });
  });

  it('the netset reading keeps what a negation leaves out (1.1/16 without 1.1.1.2)', () => {
    const nets = effective(['!1.1.1.2', '1.1/16']).map(cidr);
    expect(nets).to.include('1.1.1.3/32').and.include('1.1.0.0/24').and.not.include('1.1.1.2/32');
    expect(nets.some((n) => contains(parseNet(n), parseNet('1.1.1.2')))).to.equal(false);
    expect(effective(['1/8', '!1/8']).map(cidr)).to.deep.equal(['1.0.0.0/8']);
    expect(effective(['!1/8', '1/8'])).to.deep.equal([]);
  });
});
