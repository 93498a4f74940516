import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ipKeyGenerator } from 'express-rate-limit';
import { normalizeLogin } from '../../shared/identity/normalize-address.ts';

export interface LoginGuardOptions {
  /** REDIS_PREFIX. */
  prefix: string;
  /** LOGIN_LOCKOUT_MINUTES in seconds: the window of the per-IP and per-(account, IP) counters. */
  windowSeconds: number;
  /** LOGIN_LIMIT_PER_IP: attempts per client IP per window, whatever the account. */
  perIp: number;
  /** LOGIN_MAX_FAILURES: failures per (account, client IP) per window. */
  perAccountAndIp: number;
  /** LOGIN_ACCOUNT_BURST / LOGIN_ACCOUNT_REFILL_SECONDS: the per-account slow-down for unknown IPs. */
  accountBurst: number;
  accountRefillSeconds: number;
  /** LOGIN_KNOWN_IP_DAYS: how long a successful sign-in makes its IP "known" for the account. */
  knownIpDays: number;
}

/** Why an attempt may not be checked; `retryAfter` in seconds. */
export type LoginRefusal = { reason: 'ip' | 'account-ip' | 'account'; retryAfter: number };

/**
 * One script, so counting and deciding are one atomic step that happens BEFORE the password is
 * checked: 60 parallel guesses see counts 1…60, and only those within the allowance are checked.
 * KEYS: per-IP attempts, per-(account, IP) failures, the known-IP marker, the account's bucket.
 * Returns {0, n} (go ahead), or {1|2|3, retry-after seconds} for ip / account-ip / account.
 */
const ATTEMPT = `
local window = tonumber(ARGV[1])
local ipN = redis.call('INCR', KEYS[1])
if ipN == 1 then redis.call('EXPIRE', KEYS[1], window) end
if ipN > tonumber(ARGV[2]) then return {1, redis.call('TTL', KEYS[1])} end
local failures = tonumber(redis.call('GET', KEYS[2]) or '0')
if failures >= tonumber(ARGV[3]) then
  return {2, redis.call('TTL', KEYS[2])}
end
if redis.call('EXISTS', KEYS[3]) == 0 then
  local burst = tonumber(ARGV[4])
  local refillMs = tonumber(ARGV[5])
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local b = redis.call('HMGET', KEYS[4], 'tokens', 'at')
  local tokens = tonumber(b[1]) or burst
  local at = tonumber(b[2]) or now
  tokens = math.min(burst, tokens + (now - at) / refillMs)
  if tokens < 1 then
    return {3, math.ceil((1 - tokens) * refillMs / 1000)}
  end
  redis.call('HSET', KEYS[4], 'tokens', tostring(tokens - 1), 'at', now)
  redis.call('PEXPIRE', KEYS[4], math.ceil(burst * refillMs))
end
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], window)
return {0, failures + 1}
`;

/**
 * KEYS: the pair's failures (forgotten), the IP's attempts and the account's bucket (each given its
 * attempt back: a right password is not guessing), the known-IP marker (set).
 */
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
local tokens = tonumber(redis.call('HGET', KEYS[3], 'tokens') or '-1')
if tokens >= 0 then redis.call('HSET', KEYS[3], 'tokens', tostring(math.min(tonumber(ARGV[2]), tokens + 1))) end
redis.call('SET', KEYS[4], '1', 'EX', tonumber(ARGV[1]))
`;

/**
 * Sign-in limits, in Redis so every api process counts together (docs/analyst.md, "Sign-in limits"):
 * - per client IP: LOGIN_LIMIT_PER_IP attempts per window (a successful one is given back);
 * - per (account, client IP): LOGIN_MAX_FAILURES failures per window — a stranger's failures never
 *   lock the real user out of their own address;
 * - per account, from addresses it never signed in from: a token bucket (LOGIN_ACCOUNT_BURST, then
 *   one attempt per LOGIN_ACCOUNT_REFILL_SECONDS) — a slow-down for guessing spread over many IPs
 *   that refills by itself, so it can never become a permanent lockout; addresses the account
 *   signed in from (LOGIN_KNOWN_IP_DAYS) are not slowed.
 * Every attempt counts as a failure until it succeeds, so the decision never waits for the check.
 * The account is `normalizeLogin(email)` — the same form users are stored and looked up by.
 */
export class LoginGuard {
  constructor(
    private readonly redis: Redis,
    private readonly opts: LoginGuardOptions,
  ) {}

  private keys(email: string, ip: string) {
    // Hashed: the keys then carry no address, and any Unicode in it cannot make an odd key.
    const account = createHash('sha256').update(normalizeLogin(email)).digest('hex').slice(0, 32);
    const client = ipKeyGenerator(ip);
    const p = `${this.opts.prefix}:login`;
    return { ip: `${p}:ip:${client}`, pair: `${p}:fail:${account}:${client}`, known: `${p}:known:${account}:${client}`, bucket: `${p}:acct:${account}` };
  }

  /** Counts the attempt; null when its password may be checked now, else why not. */
  async attempt(email: string, ip: string): Promise<LoginRefusal | null> {
    const k = this.keys(email, ip);
    const o = this.opts;
    const [code, value] = (await this.redis.eval(
      ATTEMPT, 4, k.ip, k.pair, k.known, k.bucket,
      o.windowSeconds, o.perIp, o.perAccountAndIp, o.accountBurst, o.accountRefillSeconds * 1000,
    )) as [number, number];
    if (code === 0) return null;
    const reason = code === 1 ? 'ip' : code === 2 ? 'account-ip' : 'account';
    return { reason, retryAfter: Math.max(1, value) };
  }

  /** The password was right: forget this pair's failures, give the attempt back, remember the IP. */
  async succeeded(email: string, ip: string): Promise<void> {
    const k = this.keys(email, ip);
    await this.redis.eval(SUCCEEDED, 4, k.pair, k.ip, k.bucket, k.known, this.opts.knownIpDays * 86_400, this.opts.accountBurst);
  }
}
