import { CidrSet } from './cidr-set.ts';

/**
 * The ranges the attribution contract calls internal (ARCHITECTURE.md): RFC 1918 private, loopback,
 * link-local, unique-local, carrier-grade NAT and unspecified. Written out rather than taken from
 * ipaddr.js `range()`, which also names the documentation ranges (192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24, 2001:db8::/32) "reserved" — those are public here, fixtures use them as senders.
 * 0.0.0.0/8 is "this network" (ipaddr.js's IPv4 "unspecified"): never a real peer.
 */
export const INTERNAL_RANGES: readonly string[] = Object.freeze([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::/128',
  '::1/128',
  'fe80::/10',
  'fc00::/7',
]);

const INTERNAL = new CidrSet(INTERNAL_RANGES);

/** True for an internal address (IPv4-mapped IPv6 read as IPv4); false for public addresses and for anything that is not an IP. */
export function isInternal(ip: string): boolean {
  return INTERNAL.has(ip);
}
