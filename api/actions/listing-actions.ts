import type { DataSource } from 'typeorm';
import { AppError } from '../../shared/errors/app-error.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { addManualListing, removeListing } from '../../shared/reputation/store/listings-repo.ts';
import { TenancyCache } from '../../shared/tenancy/tenancy-cache.ts';
import type { ApiContext } from '../context.ts';
import { isPublicIp } from '../reputation/ip-param.ts';
import { recordAction } from './audit.ts';

/**
 * Listing and unlisting an IP by hand: the one implementation behind `POST/DELETE /v1/listings/:ip`
 * and the IP page's forms. Each change, its history entry and its audit row commit together; the
 * lookup's Redis copy follows after the commit.
 */
export class ListingActions {
  private readonly cache: IpCache;
  private readonly tenancy: TenancyCache;

  constructor(private readonly ds: DataSource, ctx: Pick<ApiContext, 'redis' | 'config'>) {
    this.cache = new IpCache(ctx.redis, ctx.config.REDIS_PREFIX);
    this.tenancy = new TenancyCache(ds);
  }

  /** Why this IP may not be listed, or null. Platform addresses are never listed (flag the tenant). */
  async refusal(ip: string): Promise<AppError | null> {
    if (!isPublicIp(ip)) return new AppError('validation_failed', `${ip} is not a public address`, { problems: [{ field: 'ip', in: 'path', message: 'is not a public address' }] });
    const [platform]: unknown[] = await this.ds.query(`SELECT 1 FROM reputation_subjects WHERE kind = 'ip' AND key = $1 AND platform`, [ip]);
    if (platform || (await this.tenancy.get()).platformNetworks.has(ip)) {
      return new AppError('conflict', `${ip} is a platform address and is never listed; flag its tenant instead`);
    }
    return null;
  }

  /**
   * Lists `ip` by hand (issue 11: a manual listing never expires by itself unless `expiresAt`); an
   * existing listing is taken over as manual with this reason and expiry. Returns whether a listing
   * was created.
   */
  async list(ip: string, reason: string, actor: string, expiresAt: Date | null = null): Promise<boolean> {
    const refused = await this.refusal(ip);
    if (refused) throw refused;
    const now = new Date();
    if (expiresAt && expiresAt.getTime() <= now.getTime()) {
      throw new AppError('validation_failed', 'invalid field expiresAt: must be in the future', { problems: [{ field: 'expiresAt', in: 'body', message: 'must be in the future' }] });
    }
    const created = await this.ds.transaction(async (em) => {
      const made = await addManualListing(em, ip, `manual: ${reason}`, actor, now, expiresAt);
      await recordAction(em, { actor, action: 'ip.list', subject: { kind: 'ip', key: ip }, reason, detail: { created: made, expiresAt: expiresAt?.toISOString() ?? null } });
      return made;
    });
    await this.cache.sync(this.ds, [ip]);
    return created;
  }

  /** Removes the listing of `ip` (404 `not_found` when it is not listed). */
  async unlist(ip: string, reason: string, actor: string): Promise<void> {
    const removed = await this.ds.transaction(async (em) => {
      const done = await removeListing(em, ip, 'manual', `manual: ${reason}`, actor, new Date());
      if (done) await recordAction(em, { actor, action: 'ip.unlist', subject: { kind: 'ip', key: ip }, reason });
      return done;
    });
    if (!removed) throw new AppError('not_found', `${ip} is not listed`);
    await this.cache.sync(this.ds, [ip]);
  }
}

const shared = new WeakMap<ApiContext, ListingActions>();

/** One instance per app (its tenancy cache is shared by the API route and the UI form). */
export function listingActions(ctx: ApiContext): ListingActions {
  let a = shared.get(ctx);
  if (!a) shared.set(ctx, (a = new ListingActions(ctx.ds, ctx)));
  return a;
}
