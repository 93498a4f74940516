import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { duration } from './duration.ts';

const positiveInt = z.coerce.number().int().positive();

/** Express's `trust proxy` names for address ranges. */
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrRange(s: string): boolean {
  try {
    if (s.includes('/')) ipaddr.parseCIDR(s);
    else ipaddr.parse(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * `TRUST_PROXY` in Express's `trust proxy` syntax: `false` (the default: X-Forwarded-For is ignored),
 * `true` (trust every hop — only behind a proxy that overwrites the header), a hop count, or a comma
 * list of addresses, CIDRs and the names loopback / linklocal / uniquelocal.
 */
export const trustProxy = z.string().transform((s, ctx): boolean | number | string[] => {
  const v = s.trim().toLowerCase();
  if (v === 'false' || v === 'none') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const items = v.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = items.filter((x) => !PROXY_NAMES.includes(x) && !isAddressOrRange(x));
  if (items.length === 0 || bad.length) {
    ctx.addIssue({ code: 'custom', message: `use false, true, a hop count, or addresses/CIDRs/${PROXY_NAMES.join('/')} (not: ${bad.join(', ')})` });
  }
  return items;
});

/**
 * Limits that keep a stranger from exhausting the service cheaply (issue 12: sign-in, password
 * hashing, public intake bytes, slow clients, delist mail). Spread into the one config schema;
 * documented in README.md ("Configuration") and the feature docs.
 */
export const hardeningConfig = {
  /** Which proxies' X-Forwarded-For is believed for the client IP (per-IP limits, audit). Default: none. */
  TRUST_PROXY: trustProxy.default(false),
  /** Longest time to receive a whole HTTP request (headers and body); Node's `server.requestTimeout`. */
  HTTP_REQUEST_TIMEOUT: duration.default(120_000),
  /** Longest time to receive an HTTP request's headers; Node's `server.headersTimeout`. */
  HTTP_HEADERS_TIMEOUT: duration.default(30_000),
  /** Longest time one SMTP DATA phase may take, however slowly the bytes come (421 and close beyond). */
  SMTP_DATA_TIMEOUT: duration.default(10 * 60_000),
  /** POST /login per client IP per LOGIN_LOCKOUT_MINUTES, whatever the account. */
  LOGIN_LIMIT_PER_IP: positiveInt.default(30),
  /** Sign-in attempts on one account from addresses it never signed in from, before they are slowed down. */
  LOGIN_ACCOUNT_BURST: positiveInt.default(20),
  /** After the burst: one more such attempt per this many seconds (a slow-down, never a lockout). */
  LOGIN_ACCOUNT_REFILL_SECONDS: positiveInt.default(30),
  /** Days a client IP stays "known" for an account after a successful sign-in from it (exempt from the slow-down). */
  LOGIN_KNOWN_IP_DAYS: positiveInt.default(30),
  /** Password hashes (scrypt) computed at once in one process; the rest wait in PASSWORD_HASH_QUEUE. */
  PASSWORD_HASH_CONCURRENCY: positiveInt.default(2),
  /** Sign-ins that may wait for a hash slot; beyond, 429 at once. */
  PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).default(8),
  /** Request-body bytes in flight from one client IP on the public channels; default one largest JSON report. */
  PUBLIC_INFLIGHT_BYTES_PER_IP: positiveInt.optional(),
  /** Request-body bytes in flight on the public channels in one process; default four largest JSON reports. */
  PUBLIC_INFLIGHT_BYTES: positiveInt.optional(),
  /** Request-body bytes in flight on the raw intake (POST /v1/intake/email) in one process; default 8 × MAX_MESSAGE_BYTES. */
  INTAKE_INFLIGHT_BYTES: positiveInt.optional(),
  /** Delist confirmation mails to one address (`+tag` variants are one address) per day. */
  DELIST_MAILS_PER_ADDRESS_PER_DAY: positiveInt.default(10),
};
