import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may be delivered (docs/notifications.md, "SSRF policy"). Only addresses that
 * ipaddr.js calls `unicast` (globally routable) are allowed; everything else is refused by name:
 * private, loopback, link-local, unique-local, carrier-grade NAT, multicast, broadcast, unspecified,
 * reserved and documentation ranges, IPv4-mapped and the NAT64 / 6to4 / Teredo forms (which can
 * carry an internal IPv4 address). Checked on the RESOLVED addresses, and the connection is pinned
 * to the address checked, so a DNS answer cannot change between check and connect.
 */
export function forbiddenRange(ip: string): string | null {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(ip);
  } catch {
    return 'not an IP address';
  }
  // ipaddr.js calls the IPv4-compatible form `::7f00:1` (how `http://[::127.0.0.1]/` and an AAAA
  // answer print 127.0.0.1 in it) `unicast`; IANA reserves all of ::/8, and nothing there is a
  // globally routable web server, so the rest of the block is refused too.
  const range = addr.range();
  if (range !== 'unicast') return range;
  return addr.kind() === 'ipv6' && addr.match(IETF_RESERVED_V6) ? 'reserved (IPv4-compatible)' : null;
}

/** ::/8, "Reserved by IETF" (RFC 4291): holds ::, ::1, the mapped and the deprecated IPv4-compatible forms. */
const IETF_RESERVED_V6 = ipaddr.parseCIDR('::/8');

export class WebhookUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookUrlError';
  }
}

/** The syntactic part of the policy, checked when a subscription is created: http(s), no credentials. */
export function checkWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookUrlError('use an http:// or https:// URL');
  if (url.username || url.password) throw new WebhookUrlError('credentials in the URL are not allowed (put a token in the path or query instead)');
  if (url.hash) throw new WebhookUrlError('a URL fragment is never sent; remove it');
  return url;
}
