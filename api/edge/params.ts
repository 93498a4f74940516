import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/**
 * Schemas for what arrives in a URL (path parameters and query strings), shared by every route so
 * that hostile values get the same clear 400 everywhere instead of reaching Postgres (which
 * refuses NUL in text, zone ids in inet, year 0 in timestamptz… with a 500).
 */

/** No C0 control characters or DEL: NUL cannot be stored in Postgres text, and no name or key needs them. */
export const NO_CONTROLS = /^[^\u0000-\u001f\u007f]*$/;
const NO_CONTROLS_MESSAGE = 'must not contain control characters (NUL, line breaks, tabs…)';

/** Free text from a URL: bounded, without control characters. */
export function urlText(max: number, min = 1): z.ZodString {
  return z.string().min(min, `must have at least ${min} character${min === 1 ? '' : 's'}`).max(max, `must be at most ${max} characters`)
    .regex(NO_CONTROLS, NO_CONTROLS_MESSAGE);
}

/** Free text from a JSON or form body (a reason, a description): line breaks and tabs are fine, NUL and other controls are not. */
export function bodyText(max: number, min = 1): z.ZodString {
  return z.string().trim().min(min, `must have at least ${min} character${min === 1 ? '' : 's'}`).max(max, `must be at most ${max} characters`)
    .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'must not contain control characters such as NUL');
}

/**
 * One IPv4 or IPv6 address, normalised the way Postgres `host(inet)` prints it (IPv4-mapped IPv6
 * read as IPv4, IPv6 compressed), or null. No CIDR, no zone id (`fe80::1%eth0`: inet has no zones),
 * no shorthand IPv4 (`127.1`, `0x7f.0.0.1`, which no MTA sends).
 */
export function normalizeIp(raw: string): string | null {
  const s = raw.trim();
  if (s.length > 64 || s.includes('%')) return null;
  const ok = ipaddr.IPv4.isValidFourPartDecimal(s) || (s.includes(':') && ipaddr.IPv6.isValid(s));
  return ok ? ipaddr.process(s).toString() : null;
}

/** An IP address parameter, normalised (see normalizeIp). */
export const ipAddress = z
  .string()
  .max(64, 'must be at most 64 characters')
  .transform((s, ctx) => {
    const ip = normalizeIp(s);
    if (ip === null) {
      ctx.addIssue({ code: 'custom', message: 'must be one IPv4 or IPv6 address (no range, no zone id)' });
      return z.NEVER;
    }
    return ip;
  })
  .meta({ description: 'one IPv4 or IPv6 address', examples: ['203.0.113.7', '2001:db8::1'] });

/** A network in CIDR notation, e.g. 203.0.113.0/24 (no zone id). */
export const cidr = z
  .string()
  .max(64, 'must be at most 64 characters')
  .refine((s) => {
    const [addr, bits, extra] = s.split('/');
    if (!addr || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits) || addr.includes('%')) return false;
    const family = isIP(addr);
    return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
  }, 'must be a network in CIDR notation, e.g. 203.0.113.0/24')
  .meta({ examples: ['203.0.113.0/24'] });

/** A UUID (lower or upper case hex). */
export const uuid = z.uuid('must be a UUID such as 6f1c2d4e-8a5b-4c3d-9e2f-0a1b2c3d4e5f');

/**
 * An ISO 8601 timestamp with an offset that Postgres can hold: zod checks the calendar (no
 * 2026-02-31); the year must be 1 or later (Postgres has no year 0).
 */
export const isoTimestamp = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 timestamp with an offset, e.g. 2026-11-20T00:00:00Z' })
  .refine((s) => !s.startsWith('0000'), 'the year must be 0001 or later')
  .meta({ examples: ['2026-11-20T00:00:00Z'] });

/** A tenant id as the tenancy file spells it (letters, digits, `.` `_` `-`). */
export const tenantId = urlText(100).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a tenant id (letters, digits, . _ -)');

/** A positive integer from a query string, with bounds and a default. */
export function queryInt(min: number, max: number, dflt: number) {
  return z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`).default(dflt);
}

/** `true` / `false` in a query string. */
export function queryBool(dflt: boolean) {
  return z.enum(['true', 'false'], { error: 'must be true or false' }).default(dflt ? 'true' : 'false').transform((v) => v === 'true');
}
