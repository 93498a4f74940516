import ipaddr from 'ipaddr.js';
import { AppError } from '../../shared/errors/app-error.ts';

/**
 * One IP address, normalised the way Postgres `host(inet)` prints it (IPv4-mapped IPv6 read as
 * IPv4, IPv6 compressed), so a lookup key matches the stored key. No CIDR, no lists.
 */
export function parseIp(raw: unknown): string {
  const s = typeof raw === 'string' ? raw.trim() : '';
  // Four-part decimal only: ipaddr.js also accepts `127.1` or `0x7f.0.0.1`, which no MTA sends.
  const ok = s.length <= 64 && (ipaddr.IPv4.isValidFourPartDecimal(s) || (s.includes(':') && ipaddr.IPv6.isValid(s)));
  if (!ok) throw new AppError('validation_failed', 'give one IPv4 or IPv6 address', { field: 'ip' });
  return ipaddr.process(s).toString();
}

/** Whether an address can be listed at all: private, loopback and similar ranges cannot. */
export function isPublicIp(ip: string): boolean {
  const range = ipaddr.process(ip).range();
  return range === 'unicast' || range === 'reserved';
}
