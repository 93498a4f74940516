import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import { AppError } from '../../shared/errors/app-error.ts';
import { verifyApiKey, type VerifiedKey } from '../../shared/auth/api-keys.ts';
import type { ApiRole } from '../../shared/db/entities/api-key.entity.ts';
import { isDatabaseUnavailable } from '../../shared/db/db-errors.ts';
import type { KeyChangeFeed } from '../../shared/auth/key-changes.ts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: VerifiedKey;
  }
}

/**
 * Verified keys are cached: a DB round trip per request would halve intake and lookup throughput.
 * A revocation reaches every process at once through the key-change feed (shared/auth/key-changes.ts),
 * which drops the key from this cache — no extra Redis round trip per request. Without a live feed
 * (none given, or its subscription is down) nothing is cached: every request asks Postgres. The TTL
 * only bounds an announcement lost on the way (the CLI could not reach Redis).
 */
const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 10_000;

export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { key: VerifiedKey | null; until: number }>();

  constructor(
    private readonly ds: DataSource,
    private readonly changes?: KeyChangeFeed,
  ) {
    changes?.onChange((id) => {
      if (id === null) return this.cache.clear();
      for (const [presented, hit] of this.cache) if (hit.key?.id === id || presented.startsWith(`ak_${id}_`)) this.cache.delete(presented);
    });
  }

  async authenticate(presented: string): Promise<VerifiedKey | null> {
    const feed = this.changes;
    if (!feed?.live) return verifyApiKey(this.ds, presented);
    const hit = this.cache.get(presented);
    if (hit && hit.until > Date.now()) return hit.key;
    // A change announced while Postgres was being asked must not be overwritten by the older answer.
    const epoch = feed.epoch;
    const key = await verifyApiKey(this.ds, presented);
    if (feed.epoch !== epoch || !feed.live) return key;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(presented, { key, until: Date.now() + CACHE_TTL_MS });
    return key;
  }

  /** Middleware: 401 without a valid `Authorization: Bearer <key>`, 403 when the role is not allowed. */
  require(...roles: ApiRole[]): RequestHandler {
    return async (req: Request, _res: Response, next: NextFunction) => {
      const header = req.get('authorization') ?? '';
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw new AppError('unauthenticated', 'send an API key as "Authorization: Bearer <key>"');
      let key: VerifiedKey | null;
      try {
        key = await this.authenticate(m[1]!);
      } catch (err) {
        if (isDatabaseUnavailable(err)) throw new AppError('store_unavailable', 'cannot check the API key now; retry later');
        throw err;
      }
      if (!key) throw new AppError('unauthenticated', 'the API key is unknown or revoked');
      if (!roles.includes(key.role)) {
        throw new AppError('forbidden', `this endpoint needs a key with role ${roles.join(' or ')}; yours has ${key.role}`);
      }
      req.principal = key;
      next();
    };
  }
}
