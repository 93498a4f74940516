import ipaddr from 'ipaddr.js';

/**
 * `DNS_SERVERS`: comma-separated `ip`, `ip:port`, `[ipv6]:port` or a bare IPv6 address. Returns
 * the servers in the form node:dns `Resolver.setServers` takes, or throws naming the bad entry
 * (called by the config schema, so a typo stops the service at start).
 */
export function parseDnsServers(value: string): string[] {
  const out: string[] = [];
  for (const raw of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    let host = raw;
    let port: string | null = null;
    const bracket = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(raw);
    if (bracket) [host, port] = [bracket[1]!, bracket[2] ?? null];
    else if (/^[\d.]+:\d{1,5}$/.test(raw)) [host, port] = raw.split(':') as [string, string];
    if (!ipaddr.isValid(host) || (port !== null && (Number(port) < 1 || Number(port) > 65535))) {
      throw new Error(`DNS_SERVERS: "${raw.slice(0, 60)}" is not ip[:port] (IPv6 with a port: [addr]:port)`);
    }
    const v6 = ipaddr.parse(host).kind() === 'ipv6';
    out.push(port === null ? host : v6 ? `[${host}]:${port}` : `${host}:${port}`);
  }
  if (out.length === 0) throw new Error('DNS_SERVERS: name at least one server, or leave it unset for the system resolver');
  return out;
}
