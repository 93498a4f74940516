import session, { type SessionData } from 'express-session';
import type { Redis } from 'ioredis';

/**
 * express-session store on the service's ioredis connection. connect-redis 9 speaks the node-redis
 * v5 API only (`set(k, v, {expiration})`, `del([k])`), so this is the few lines we need instead.
 */
export class RedisSessionStore extends session.Store {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {
    super();
  }

  private key(sid: string): string {
    return `${this.prefix}${sid}`;
  }

  override get(sid: string, cb: (err: unknown, data?: SessionData | null) => void): void {
    this.redis.get(this.key(sid)).then(
      (raw) => {
        if (!raw) return cb(null, null);
        try {
          cb(null, JSON.parse(raw) as SessionData);
        } catch {
          cb(null, null); // a corrupt entry is no session, not an error page
        }
      },
      (err) => cb(err),
    );
  }

  override set(sid: string, data: SessionData, cb?: (err?: unknown) => void): void {
    this.redis.set(this.key(sid), JSON.stringify(data), 'EX', this.ttlSeconds).then(() => cb?.(), (err) => cb?.(err));
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.redis.del(this.key(sid)).then(() => cb?.(), (err) => cb?.(err));
  }

  override touch(sid: string, _data: SessionData, cb?: (err?: unknown) => void): void {
    this.redis.expire(this.key(sid), this.ttlSeconds).then(() => cb?.(), (err) => cb?.(err));
  }
}
