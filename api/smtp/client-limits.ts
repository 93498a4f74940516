import type { Redis } from 'ioredis';
import { normalizeIp } from '../../shared/analysis/net/normalize-ip.ts';
import type { Logger } from '../../shared/logger.ts';

export interface ClientLimitsOptions {
  prefix: string;
  maxConnectionsPerIp: number;
  messagesPerMinute: number;
  /** Trap hits per client (IPv4 address, IPv6 /64) per hour (TRAP_HITS_PER_IP_PER_HOUR). @defaultValue 30 */
  trapHitsPerHour?: number;
  /** Longest wait for Redis before failing open. @defaultValue 500 ms */
  redisTimeoutMs?: number;
}

/**
 * Per-client-IP SMTP limits held in Redis, so they hold across every smtp process.
 * Connections: a counter incremented on connect and decremented on close; it carries a TTL
 * so a crashed process's connections stop counting after CONNECTION_TTL_S instead of forever.
 * Messages: a fixed one-minute window counter. If Redis does not answer we fail open: refusing
 * all mail because the limiter is down would turn a Redis outage into lost reports.
 */
const CONNECTION_TTL_S = 600;

export class ClientLimits {
  private readonly timeoutMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly opts: ClientLimitsOptions,
    private readonly log: Logger,
  ) {
    this.timeoutMs = opts.redisTimeoutMs ?? 500;
  }

  /** Counts a new connection; false when the IP already has the maximum open (the caller answers 421). */
  async openConnection(ip: string): Promise<boolean> {
    const key = this.connKey(ip);
    const n = await this.guard(
      this.redis.multi().incr(key).expire(key, CONNECTION_TTL_S).exec().then((r) => Number(r?.[0]?.[1] ?? 0)),
    );
    if (n === null) return true;
    if (n > this.opts.maxConnectionsPerIp) {
      await this.closeConnection(ip);
      return false;
    }
    return true;
  }

  async closeConnection(ip: string): Promise<void> {
    const key = this.connKey(ip);
    // DECR, and never below zero (a TTL expiry may already have reset the counter).
    await this.guard(this.redis.eval(DECR_FLOOR, 1, key));
  }

  /** Counts one message for this minute; false when the IP is over its per-minute budget (450). */
  async takeMessage(ip: string): Promise<boolean> {
    const minute = Math.floor(Date.now() / 60_000);
    const key = `${this.opts.prefix}:smtp:msgs:${ip}:${minute}`;
    const n = await this.guard(
      this.redis.multi().incr(key).expire(key, 120).exec().then((r) => Number(r?.[0]?.[1] ?? 0)),
    );
    return n === null || n <= this.opts.messagesPerMinute;
  }

  /**
   * Counts one trap hit for this hour; false when the client is over its budget (the trap answers
   * 450). Keyed by the IPv4 address or the IPv6 /64: a spammer rotating addresses inside one
   * IPv6 subnet is one client to a trap. A flood therefore stores at most this many hits per
   * client per hour; the per-minute message budget and the backlog check still apply before it.
   */
  async takeTrapHit(ip: string): Promise<boolean> {
    const hour = Math.floor(Date.now() / 3_600_000);
    const key = `${this.opts.prefix}:smtp:trap:${trapClientKey(ip)}:${hour}`;
    const n = await this.guard(
      this.redis.multi().incr(key).expire(key, 7200).exec().then((r) => Number(r?.[0]?.[1] ?? 0)),
    );
    return n === null || n <= (this.opts.trapHitsPerHour ?? 30);
  }

  private connKey(ip: string): string {
    return `${this.opts.prefix}:smtp:conns:${ip}`;
  }

  private async guard<T>(p: Promise<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        p,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`redis gave no answer in ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'smtp client limits unavailable; allowing');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

const DECR_FLOOR = `local v = redis.call('DECR', KEYS[1]) if v < 0 then redis.call('SET', KEYS[1], 0) end return v`;

/** The trap budget's client: an IPv4 address as it is, an IPv6 address as its /64 (`2001:db8:1:2::/64`). */
export function trapClientKey(ip: string): string {
  const n = normalizeIp(ip) ?? ip;
  if (!n.includes(':')) return n;
  const groups = expandV6(n).slice(0, 4).map((g) => g.replace(/^0+(?=.)/, ''));
  return `${groups.join(':')}::/64`;
}

function expandV6(ip: string): string[] {
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  if (tail === undefined) return h;
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
}
