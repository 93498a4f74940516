import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Redis } from 'ioredis';
import { AppError } from '../../shared/errors/app-error.ts';
import type { Logger } from '../../shared/logger.ts';

export interface RedisRateLimitOptions {
  redis: Redis;
  /** REDIS_PREFIX: keys are `<prefix>:rl:<name>:<key>`. */
  prefix: string;
  /** Names this limiter's counters; two limiters never share one. */
  name: string;
  windowMs: number;
  limit: number;
  /**
   * What to count by. @defaultValue the client IP (IPv6 grouped per /56, so one host cannot
   * rotate through its own prefix). Return undefined to not count this request.
   */
  key?: (req: Request, res: Response) => string | undefined;
  log: Logger;
  /**
   * Answers a refused request itself (a public page's own 429 in the visitor's language).
   * @defaultValue passes `AppError('rate_limited')` on to the router's error handler.
   */
  onLimit?: (req: Request, res: Response) => void;
}

/** Longest wait for Redis: a stalled limiter must not stall intake. */
const REDIS_TIMEOUT_MS = 500;

/**
 * express-rate-limit with its Redis store on our existing connection, so a limit holds across
 * every api process. Over the limit it passes `AppError('rate_limited')` (429 + Retry-After) to
 * the router's error handler, which answers as HTML or problem+json. If Redis does not answer the
 * request is let through (`passOnStoreError`): losing abuse limits for a moment is better than
 * losing reports.
 */
export function redisRateLimit(opts: RedisRateLimitOptions): RequestHandler {
  const sendCommand = (command: string, ...args: string[]): Promise<RedisReply> =>
    withTimeout(opts.redis.call(command, ...args) as Promise<RedisReply>, REDIS_TIMEOUT_MS);
  const keyOf = opts.key;
  return rateLimit({
    windowMs: opts.windowMs,
    limit: opts.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    passOnStoreError: true,
    store: new RedisStore({ prefix: `${opts.prefix}:rl:${opts.name}:`, sendCommand }),
    identifier: opts.name,
    keyGenerator: keyOf ? (req, res) => keyOf(req, res) ?? '' : (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    skip: keyOf ? (req, res) => keyOf(req, res) === undefined : undefined,
    logger: {
      error: (err, message) => opts.log.warn({ err: (err as Error)?.message ?? String(err) }, message ?? 'rate limiter store error'),
      warn: (err, message) => opts.log.warn({ err: (err as Error)?.message ?? String(err) }, message ?? 'rate limiter warning'),
    },
    handler: opts.onLimit ? (req, res) => opts.onLimit!(req, res) : (req, _res, next) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : Math.ceil(opts.windowMs / 1000);
      next(new AppError('rate_limited', 'too many reports from you in a short time; try again later', { retryAfter }));
    },
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis gave no answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Runs a middleware inside a handler (for limits keyed on a validated body field). */
export function runMiddleware(mw: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void mw(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
  });
}
