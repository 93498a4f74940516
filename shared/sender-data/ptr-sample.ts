import ipaddr from 'ipaddr.js';
import type { OwnerRange } from './owner-range.ts';

/**
 * The addresses whose PTR records are looked up to prove a range: all of them up to `max`, else
 * the first `max` (network address included: a /24's .0 is often a real host behind NAT pools,
 * and a sender's PTRs are usually set on the whole block). An IPv6 /48 cannot be walked, so its
 * first `max` addresses stand for it — an owner who wants proof by PTR sets them there.
 */
export function ptrSample(range: OwnerRange, max: number): string[] {
  const bits = (range.family === 'ipv4' ? 32 : 128) - range.prefix;
  const count = bits >= 31 ? max : Math.min(max, 2 ** bits);
  const bytes = ipaddr.parse(range.network).toByteArray();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const b = [...bytes];
    let carry = i;
    for (let j = b.length - 1; j >= 0 && carry > 0; j--) {
      const sum = b[j]! + (carry & 0xff);
      b[j] = sum & 0xff;
      carry = (carry >>> 8) + (sum >> 8);
    }
    out.push(ipaddr.fromByteArray(b).toString());
  }
  return out;
}
