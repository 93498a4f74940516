import type { Redis } from 'ioredis';
import { createRedis } from '../queue/redis.ts';
import type { Logger } from '../logger.ts';

/** The pub/sub channel on which a key's revocation (or any change) is announced to every process. */
export function keyChangesChannel(prefix: string): string {
  return `${prefix}:api-keys:changed`;
}

/**
 * Tells every api process that key `id` changed (revoked, or its role or trust edited): they drop it
 * from their caches at once. Call it after the change is committed. Resolves to the number of
 * processes listening. Throws when Redis is unreachable — the caller says so (processes whose
 * subscription is down do not cache, see KeyChangeFeed).
 */
export async function announceKeyChange(redis: Redis, prefix: string, id: string): Promise<number> {
  return redis.publish(keyChangesChannel(prefix), id);
}

/**
 * One subscription per process to the key-change channel. The API-key cache is safe to use only
 * while `live`: subscribed and connected. While the subscription is down (Redis restarting, a
 * dropped connection) announcements can be missed, so the cache must not be read; when it comes
 * back everything cached is dropped (`epoch` moves on), since anything may have changed meanwhile.
 */
export class KeyChangeFeed {
  private subscribed = false;
  private readonly listeners: ((id: string | null) => void)[] = [];
  /** Moves on at every invalidation (an announced change, or the subscription coming back). */
  epoch = 0;

  private constructor(
    private readonly sub: Redis,
    private readonly channel: string,
    private readonly log: Logger,
  ) {
    sub.on('message', (ch: string, id: string) => {
      if (ch === this.channel) this.invalidate(id);
    });
    // Connection lost: announcements may be missed from now on.
    sub.on('close', () => {
      this.subscribed = false;
      this.epoch++;
    });
    // (Re)connected: subscribe again (ioredis also resubscribes; SUBSCRIBE twice is harmless) and
    // forget everything cached, then trust the cache again.
    sub.on('ready', () => void this.subscribe());
  }

  /** Starts the subscriber connection (its own: a subscribed connection can do nothing else). */
  static start(redisUrl: string, prefix: string, log: Logger): KeyChangeFeed {
    const sub = createRedis(redisUrl, { name: `${prefix}:key-changes`, onError: (err) => log.warn({ err: err.message }, 'key-change subscription lost; API keys are checked in Postgres until it is back') });
    return new KeyChangeFeed(sub, keyChangesChannel(prefix), log);
  }

  /** True while announcements are being received: only then may verified keys be served from a cache. */
  get live(): boolean {
    return this.subscribed && this.sub.status === 'ready';
  }

  /** `id` changed, or null: anything may have changed. */
  onChange(listener: (id: string | null) => void): void {
    this.listeners.push(listener);
  }

  private invalidate(id: string | null): void {
    this.epoch++;
    for (const l of this.listeners) l(id);
  }

  private async subscribe(): Promise<void> {
    try {
      await this.sub.subscribe(this.channel);
      this.invalidate(null);
      this.subscribed = true;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'key-change subscription failed; API keys are checked in Postgres');
    }
  }

  close(): void {
    this.subscribed = false;
    this.sub.disconnect();
  }
}
