import ipaddr from 'ipaddr.js';

/** Longest text we try to read as an address; anything longer is not an IP. */
const MAX_IP_TEXT = 100;

/**
 * Parse an IP address as written in mail headers and return its canonical form, or null.
 *
 * Accepts `1.2.3.4`, `[1.2.3.4]`, `IPv6:2001:db8::1`, `[IPv6:2001:DB8::1]`, `fe80::1%eth0` (zone dropped) and
 * `::ffff:1.2.3.4` (returned as `1.2.3.4`). IPv6 comes back compressed and lower-case (RFC 5952).
 * IPv4 must be four decimal parts: ipaddr.js alone would also read `010.1.1.1` as octal and `1.2.3` as `1.2.0.3`,
 * which no MTA writes and which would let garbage pass as an address.
 */
export function normalizeIp(s: string): string | null {
  if (typeof s !== 'string' || s.length === 0 || s.length > MAX_IP_TEXT) return null;
  let t = s.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1).trim();
  if (t.length > 5 && t.slice(0, 5).toLowerCase() === 'ipv6:') t = t.slice(5).trim();
  const zone = t.indexOf('%');
  if (zone >= 0) t = t.slice(0, zone);
  if (t.length === 0) return null;
  try {
    if (t.includes(':')) {
      if (!ipaddr.IPv6.isValid(t)) return null;
      const v6 = ipaddr.IPv6.parse(t);
      return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toString();
    }
    if (!isFourPartDecimal(t)) return null;
    return ipaddr.IPv4.parse(t).toString();
  } catch {
    return null;
  }
}

/** Four decimal octets 0-255 without leading zeros (checked by hand: no regex needed, linear). */
function isFourPartDecimal(t: string): boolean {
  const parts = t.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return false;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    if (p.length > 1 && p[0] === '0') return false;
    if (Number(p) > 255) return false;
  }
  return true;
}
