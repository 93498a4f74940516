import ipaddr from 'ipaddr.js';
import { normalizeIp } from '../edge/params.ts';
import { invalid } from '../openapi/endpoint.ts';

/**
 * One IP address, normalised the way Postgres `host(inet)` prints it, so a lookup key matches the
 * stored key (the same check as the `ipAddress` schema: no CIDR, no list, no zone id). For the hot
 * lookup path and the portal's form, which do not go through a zod object.
 */
export function parseIp(raw: unknown, field = 'ip'): string {
  const ip = typeof raw === 'string' ? normalizeIp(raw) : null;
  if (ip === null) throw invalid([{ field, in: 'path', message: 'must be one IPv4 or IPv6 address (no range, no zone id)' }]);
  return ip;
}

/** Whether an address can be listed at all: private, loopback and similar ranges cannot. */
export function isPublicIp(ip: string): boolean {
  const range = ipaddr.process(ip).range();
  return range === 'unicast' || range === 'reserved';
}
