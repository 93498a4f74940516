import ipaddr from 'ipaddr.js';
import { normalizeIp } from './normalize-ip.ts';

/**
 * A set of CIDR ranges (IPv4 and IPv6) with fast membership tests.
 *
 * Networks are stored per prefix length as masked keys in a `Set`, so `has()` costs one hash lookup per
 * distinct prefix length in the set (at most 33 for IPv4, 129 for IPv6), whatever the number of networks.
 * A linear scan of `ipaddr.match()` per range was rejected: tenancy files can list thousands of ranges.
 * IPv4-mapped IPv6 addresses (and mapped CIDRs with a prefix of 96 or more) are read as IPv4.
 */
export class CidrSet {
  private readonly v4 = new Map<number, Set<number>>();
  private readonly v6 = new Map<number, Set<string>>();
  private readonly v4Lengths: number[];
  private readonly v6Lengths: number[];
  readonly size: number;

  /** @throws Error naming the first CIDR that is not a valid IPv4/IPv6 network (a bare address counts as /32 or /128). */
  constructor(cidrs: readonly string[]) {
    let count = 0;
    for (const cidr of cidrs) {
      const parsed = parseCidr(cidr);
      if (!parsed) throw new Error(`invalid CIDR ${JSON.stringify(cidr)}: expected an IPv4 or IPv6 network like 192.0.2.0/24 or 2001:db8::/32`);
      if (parsed.kind === 4) addTo(this.v4, parsed.bits, v4Key(parsed.words[0]!, parsed.bits));
      else addTo(this.v6, parsed.bits, v6Key(parsed.words, parsed.bits));
      count++;
    }
    this.size = count;
    this.v4Lengths = [...this.v4.keys()].sort((a, b) => b - a);
    this.v6Lengths = [...this.v6.keys()].sort((a, b) => b - a);
  }

  /** True when `ip` (any form normalizeIp accepts) lies in one of the ranges; false for anything that is not an IP. */
  has(ip: string): boolean {
    const addr = toWords(ip);
    if (!addr) return false;
    if (addr.kind === 4) {
      for (const bits of this.v4Lengths) if (this.v4.get(bits)!.has(v4Key(addr.words[0]!, bits))) return true;
      return false;
    }
    for (const bits of this.v6Lengths) if (this.v6.get(bits)!.has(v6Key(addr.words, bits))) return true;
    return false;
  }
}

interface Words {
  kind: 4 | 6;
  /** IPv4: one uint32; IPv6: four uint32, most significant first. */
  words: number[];
}

function addTo<K>(map: Map<number, Set<K>>, bits: number, key: K): void {
  let set = map.get(bits);
  if (!set) map.set(bits, (set = new Set<K>()));
  set.add(key);
}

function v4Key(word: number, bits: number): number {
  return bits === 0 ? 0 : (word & (0xffffffff << (32 - bits))) >>> 0;
}

function v6Key(words: number[], bits: number): string {
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    const keep = Math.max(0, Math.min(32, bits - i * 32));
    out.push(keep === 0 ? 0 : ((words[i]! & (0xffffffff << (32 - keep))) >>> 0));
  }
  return out.join(':');
}

function toWords(ip: string): Words | null {
  const norm = normalizeIp(ip);
  if (!norm) return null;
  const bytes = ipaddr.parse(norm).toByteArray();
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) words.push(((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0);
  return { kind: bytes.length === 4 ? 4 : 6, words };
}

function parseCidr(cidr: string): (Words & { bits: number }) | null {
  if (typeof cidr !== 'string') return null;
  const slash = cidr.indexOf('/');
  const addrText = (slash < 0 ? cidr : cidr.slice(0, slash)).trim();
  const lenText = slash < 0 ? null : cidr.slice(slash + 1).trim();
  const rawIsV6 = addrText.includes(':');
  const addr = toWords(addrText);
  if (!addr) return null;
  const max = rawIsV6 ? 128 : 32;
  let bits = max;
  if (lenText !== null) {
    if (!/^\d{1,3}$/.test(lenText)) return null;
    bits = Number(lenText);
    if (bits > max) return null;
  }
  // An IPv4-mapped network (::ffff:a.b.c.d/96+) was turned into IPv4 by normalizeIp: shift its prefix accordingly.
  if (rawIsV6 && addr.kind === 4) {
    if (bits < 96) return null;
    bits -= 96;
  }
  return { ...addr, bits };
}
