import ipaddr from 'ipaddr.js';
import type { OwnerRange } from './owner-range.ts';

/**
 * The addresses whose PTR records are looked up to prove a range: all of them up to `max`, else
 * `max` addresses spread evenly over the whole range, first and last included. Spread, not the
 * first `max`: a customer whose provider delegated the PTRs of x.x.x.0/29 to them must not prove
 * the provider's whole /24 with them (ptr-proof.ts also wants a domain to name most of the sample).
 * An IPv6 /48 is sampled the same way, across its /64s: an owner who wants proof by PTR sets them
 * there, else an analyst decides.
 */
export function ptrSample(range: OwnerRange, max: number): string[] {
  const bits = (range.family === 'ipv4' ? 32 : 128) - range.prefix;
  const size = 1n << BigInt(bits);
  const base = bytesToBig(ipaddr.parse(range.network).toByteArray());
  const width = range.family === 'ipv4' ? 4 : 16;
  if (size <= BigInt(max)) return Array.from({ length: Number(size) }, (_, i) => addressAt(base + BigInt(i), width));
  if (max <= 1) return [addressAt(base, width)];
  // max points from the first address to the last, evenly spaced (rounded down, so the last is exact).
  const last = size - 1n;
  return Array.from({ length: max }, (_, i) => addressAt(base + (last * BigInt(i)) / BigInt(max - 1), width));
}

function bytesToBig(bytes: number[]): bigint {
  return bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

function addressAt(n: bigint, width: number): string {
  const bytes = Array.from({ length: width }, (_, i) => Number((n >> BigInt(8 * (width - 1 - i))) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}
