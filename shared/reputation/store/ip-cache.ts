import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';

/**
 * The Redis copy the MTA lookup reads: one hash, field = IP, value = JSON of its score and,
 * when listed, the listing. Postgres stays the truth; this copy is written after each commit
 * and rebuilt from Postgres at start and by the `expire-listings` job.
 */
export interface CachedIp {
  /** Score at `u` (ms epoch); readers decay it to their own now. */
  s: number;
  u: number;
  /** The current listing: listed-at (ms) and reasons; `m` for a manual one, `x` its expiry (ms) if it has one. */
  l?: { at: number; r: string[]; m?: 1; x?: number };
}

export function ipCacheKey(prefix: string): string {
  return `${prefix}:reputation:ips`;
}

interface IpRow {
  ip: string;
  score: number | null;
  updated_at: Date | null;
  listed_at: Date | null;
  reasons: string[] | null;
  manual: boolean | null;
  expires_at: Date | null;
}

/** Both tables joined: an IP can be listed with no score row (a manual listing). */
const SELECT_IPS = `
  SELECT coalesce(l.ip, s.key::inet)::text AS ip, s.score, s.updated_at, l.listed_at, l.reasons, l.manual, l.expires_at
    FROM (SELECT key, score, updated_at FROM reputation_subjects WHERE kind = 'ip') s
    FULL JOIN listings l ON l.ip = s.key::inet`;

function toEntry(r: IpRow): CachedIp {
  const e: CachedIp = { s: r.score ?? 0, u: r.updated_at ? r.updated_at.getTime() : 0 };
  if (r.listed_at) {
    e.l = { at: r.listed_at.getTime(), r: r.reasons ?? [] };
    if (r.manual) e.l.m = 1;
    if (r.expires_at) e.l.x = r.expires_at.getTime();
  }
  return e;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from Redis in ${ms} ms`)), ms);
  });
  p.catch(() => undefined); // a late failure after the timeout must not be an unhandled rejection
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Strips a `/32` or `/128` Postgres may print for an inet. */
const bare = (ip: string) => ip.replace(/\/(32|128)$/, '');

export class IpCache {
  readonly key: string;

  constructor(private readonly redis: Redis, prefix: string) {
    this.key = ipCacheKey(prefix);
  }

  /** Rejects after `timeoutMs` instead of waiting on a Redis that is down (the MTA must not hang). */
  async get(ip: string, timeoutMs = 1000): Promise<CachedIp | null> {
    const v = await withTimeout(this.redis.hget(this.key, ip), timeoutMs, 'the listings copy in Redis');
    return v ? (JSON.parse(v) as CachedIp) : null;
  }

  /**
   * The rebuild at process start: waits at most `timeoutMs`, so an api process still starts (and
   * takes intake) while Redis is down; the rebuild then finishes on reconnect, and every
   * `expire-listings` run rebuilds again.
   */
  async rebuildAtStart(ds: DataSource, onError: (err: Error) => void, timeoutMs = 5000): Promise<void> {
    await withTimeout(this.rebuild(ds), timeoutMs, 'rebuilding the listings copy').catch(onError);
  }

  /** Re-reads these IPs from Postgres and writes (or removes) their entries. */
  async sync(ds: DataSource, ips: Iterable<string>): Promise<void> {
    const list = [...new Set(ips)];
    if (list.length === 0) return;
    const rows: IpRow[] = await ds.query(`SELECT * FROM (${SELECT_IPS}) x WHERE x.ip::inet = ANY($1::inet[])`, [list]);
    const found = new Map(rows.map((r) => [bare(r.ip), r]));
    const multi = this.redis.multi();
    for (const ip of list) {
      const row = found.get(ip);
      if (row) multi.hset(this.key, ip, JSON.stringify(toEntry(row)));
      else multi.hdel(this.key, ip);
    }
    await multi.exec();
  }

  /**
   * Rebuilds the whole copy from Postgres into a temporary key, then RENAMEs it over the live
   * one, so a reader never sees a half-built copy.
   */
  async rebuild(ds: DataSource, batch = 5000): Promise<number> {
    const tmp = `${this.key}:rebuild:${process.pid}:${Date.now()}`;
    let after = '';
    let n = 0;
    try {
      for (;;) {
        const rows: IpRow[] = await ds.query(`SELECT * FROM (${SELECT_IPS}) x WHERE x.ip > $1 ORDER BY x.ip LIMIT $2`, [after, batch]);
        if (rows.length === 0) break;
        const args: string[] = [];
        for (const r of rows) args.push(bare(r.ip), JSON.stringify(toEntry(r)));
        await this.redis.hset(tmp, ...args);
        n += rows.length;
        after = rows[rows.length - 1]!.ip;
      }
      if (n === 0) await this.redis.del(this.key);
      else await this.redis.rename(tmp, this.key);
    } finally {
      await this.redis.del(tmp);
    }
    return n;
  }
}
