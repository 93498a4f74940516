import { Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ and our own keys. `maxRetriesPerRequest: null` is what BullMQ
 * workers require; producers pass `failFast` so an HTTP request never waits on a dead Redis.
 */
export function createRedis(url: string, opts: { failFast?: boolean; name?: string; onError?: (err: Error) => void } = {}): Redis {
  const redis = new Redis(url, {
    connectionName: opts.name,
    maxRetriesPerRequest: opts.failFast ? 1 : null,
    enableOfflineQueue: !opts.failFast,
    // Reconnect forever with a capped backoff: Redis restarts must not kill the process.
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
  });
  // Without a listener ioredis prints "Unhandled error event" on every failed reconnect. An outage
  // shows in /readyz and in the commands that fail; the first error of a streak is enough to log.
  let inOutage = false;
  redis.on('error', (err: Error) => {
    if (!inOutage) opts.onError?.(err);
    inOutage = true;
  });
  redis.on('ready', () => {
    inOutage = false;
  });
  return redis;
}
