import { normalizeIp } from '../net/normalize-ip.ts';

/** An address as an MTA wrote it, read apart. */
export interface RecordedAddress {
  /** Normalised IP, or null (not an IP, or the unspecified address the MTA writes when it has none). */
  ip: string | null;
  /** The user part of qmail's `(user@1.2.3.4)`, when present. */
  ident: string | null;
  /** True when a port was glued to the address (`1.2.3.4:25`, `1.2.3.4.25`): XMail and ecelerity style. */
  hadPort: boolean;
}

/**
 * Read the address an MTA recorded: `1.2.3.4`, `IPv6:2001:db8::1`, `IPv6: fdbb::1`, `::ffff:1.2.3.4`,
 * `fe80::1%22`, `ident@1.2.3.4`, `1.2.3.4:50387` and Exim 3's `1.2.3.4.50387`. `0.0.0.0`, `::` and an
 * empty literal mean "no address" (rspamd's rcvd7 sample) and give ip null.
 */
export function readAddress(text: string): RecordedAddress {
  let t = text.trim();
  let ident: string | null = null;
  const at = t.lastIndexOf('@');
  if (at >= 0) {
    ident = t.slice(0, at) || null;
    t = t.slice(at + 1);
  }
  if (t.length > 5 && t.slice(0, 5).toLowerCase() === 'ipv6:') t = t.slice(5).trim();
  let hadPort = false;
  const firstColon = t.indexOf(':');
  if (firstColon >= 0 && firstColon === t.lastIndexOf(':') && t.includes('.')) {
    // One colon and dots: IPv4 with a port (an IPv6 address always has at least two colons).
    t = t.slice(0, firstColon);
    hadPort = true;
  } else if (firstColon < 0) {
    const parts = t.split('.');
    if (parts.length === 5) {
      t = parts.slice(0, 4).join('.');
      hadPort = true;
    }
  }
  const ip = normalizeIp(t);
  if (ip === null || ip === '0.0.0.0' || ip === '::') return { ip: null, ident, hadPort };
  return { ip, ident, hadPort };
}

/** True when `text` reads as an IP literal, bracketed or bare (such a "name" is not a host name). */
export function looksLikeIp(text: string): boolean {
  return readAddress(text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text).ip !== null;
}
