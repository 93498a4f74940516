import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Config } from '../../shared/config/config.schema.ts';
import type { Logger } from '../../shared/logger.ts';
import { reputationSettings } from '../../shared/reputation/settings.ts';
import { installAfterCommit } from '../../shared/reputation/store/after-commit.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { TenancyCache } from '../../shared/tenancy/tenancy-cache.ts';
import type { ReputationContext } from './apply-reputation.ts';
import { expireListings } from './expire-listings.ts';
import { applyTrustChanges } from '../trust/apply-trust-changes.ts';
import type { ReportOutbox } from '../notifications/record-report-outbox.ts';

/** What the worker role needs for reputation: the context for `applyReputation`, the expiry job and the trust-change job. */
export function reputationRuntime(config: Config, ds: DataSource, redis: Redis, log: Logger, outbox?: ReportOutbox) {
  installAfterCommit(ds, (err) => log.warn({ err }, 'reputation: post-commit Redis sync failed; the next expire-listings run heals it'));
  const settings = reputationSettings(config);
  const cache = new IpCache(redis, config.REDIS_PREFIX);
  const tenancy = new TenancyCache(ds, { refreshMs: config.TENANCY_REFRESH_SECONDS * 1000 });
  const context: ReputationContext = { settings, cache, platformNetworks: async (em) => (await tenancy.get(em)).platformNetworks };
  return {
    context,
    cache,
    expire: () => expireListings(ds, settings, cache),
    /** The `apply-trust-changes` job (queued by the api after a change, and scheduled). */
    applyTrustChanges: () => applyTrustChanges(ds, context, 50, outbox),
  };
}
