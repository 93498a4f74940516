import type { Redis } from 'ioredis';

/**
 * Lockout after repeated failed logins, per email (case-insensitive), counted in Redis so every
 * api instance sees the same count. The window restarts at each failure; a success clears it.
 * Trade-off: someone can lock a known email out for the window — preferred to unlimited guessing.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxFailures: number,
    private readonly lockSeconds: number,
  ) {}

  private key(email: string): string {
    return `${this.prefix}:login-fail:${email.trim().toLowerCase()}`;
  }

  async isLocked(email: string): Promise<boolean> {
    const n = Number((await this.redis.get(this.key(email))) ?? 0);
    return n >= this.maxFailures;
  }

  async fail(email: string): Promise<void> {
    await this.redis.multi().incr(this.key(email)).expire(this.key(email), this.lockSeconds).exec();
  }

  async clear(email: string): Promise<void> {
    await this.redis.del(this.key(email));
  }
}
