import ipaddr from 'ipaddr.js';

/** The widest range an owner may ask for at once (SNDS allows a /24 too; one /48 is one IPv6 site). */
export const MAX_PREFIX = { ipv4: 24, ipv6: 48 } as const;

export type RangeError =
  | { error: 'empty' }
  | { error: 'syntax'; input: string }
  | { error: 'too_wide'; family: 'ipv4' | 'ipv6'; max: number }
  | { error: 'not_public'; range: string };

export interface OwnerRange {
  /** Canonical CIDR, network address first: `198.51.100.0/24`, `2001:db8::/48`, `198.51.100.7/32`. */
  cidr: string;
  family: 'ipv4' | 'ipv6';
  network: string;
  prefix: number;
}

/**
 * Parses what an owner typed: one address, or a CIDR range up to /24 (IPv4) or /48 (IPv6).
 * IPv4-mapped IPv6 is read as IPv4. Host bits are cleared (`198.51.100.7/24` → `198.51.100.0/24`).
 * Private, loopback and other non-public ranges are refused: nobody owns them on the internet.
 * Total: any string gives a range or a reason, never an exception.
 */
export function parseOwnerRange(input: string): OwnerRange | RangeError {
  const s = input.trim();
  if (s === '') return { error: 'empty' };
  if (s.length > 64 || !/^[0-9A-Fa-f:.\/]+$/.test(s)) return { error: 'syntax', input: s.slice(0, 64) };
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  try {
    if (s.includes('/')) [addr, prefix] = ipaddr.parseCIDR(s);
    else {
      addr = ipaddr.parse(s);
      prefix = addr.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    return { error: 'syntax', input: s };
  }
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    prefix = s.includes('/') ? prefix - 96 : 32;
    if (prefix < 0) return { error: 'too_wide', family: 'ipv4', max: MAX_PREFIX.ipv4 };
  }
  const family = addr.kind();
  if (prefix < MAX_PREFIX[family]) return { error: 'too_wide', family, max: MAX_PREFIX[family] };
  const canonical = (family === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6).networkAddressFromCIDR(`${addr.toString()}/${prefix}`).toString();
  const range = ipaddr.parse(canonical).range();
  if (range !== 'unicast' && !(family === 'ipv4' && range === 'reserved' && isDocumentation(canonical))) {
    // Documentation ranges are "reserved" to ipaddr.js but public to us (fixtures and the demo use them).
    if (!(family === 'ipv6' && range === 'reserved' && canonical.startsWith('2001:db8:'))) return { error: 'not_public', range: `${canonical}/${prefix}` };
  }
  return { cidr: `${canonical}/${prefix}`, family, network: canonical, prefix };
}

function isDocumentation(v4: string): boolean {
  return ['192.0.2.', '198.51.100.', '203.0.113.'].some((p) => v4.startsWith(p));
}

export function isRangeError(r: OwnerRange | RangeError): r is RangeError {
  return 'error' in r;
}
