import type { DataSource } from 'typeorm';
import type { Config } from '../../shared/config/config.schema.ts';
import type { Logger } from '../../shared/logger.ts';
import { signedHeaders, webhookMessageId } from '../../shared/webhooks/signing.ts';
import { pinnedPost } from './pinned-post.ts';
import { returningRows } from '../../shared/db/returning-rows.ts';

export interface DrainDeps {
  ds: DataSource;
  config: Config;
  log: Logger;
  /** Wakes this subscription's drain again at `at` (a delayed job). */
  wakeAt(subscriptionId: string, at: Date, dedupeKey: string): Promise<void>;
}

export interface DrainResult {
  delivered: number;
  failed: number;
  state: 'idle' | 'busy' | 'waiting' | 'disabled' | 'gone';
}

interface Next {
  id: string;
  event_id: string;
  attempts: number;
  next_attempt_at: Date;
  type: string;
  payload: unknown;
  created_at: Date;
}

/**
 * Delivers a subscription's queued events in order (the `deliver` job). One drain per subscription
 * at a time: a lease on the subscription row (renewed per request, expiring if the worker dies);
 * a job that finds the lease taken returns, and the holder checks again after releasing it, so an
 * event queued meanwhile is never stranded. The head event is retried with exponential backoff
 * and the ones behind it wait (order first), up to WEBHOOK_MAX_ATTEMPTS; WEBHOOK_MAX_FAILURES
 * failed attempts in a row disable the subscription.
 */
export async function drainSubscription(deps: DrainDeps, subscriptionId: string): Promise<DrainResult> {
  const out: DrainResult = { delivered: 0, failed: 0, state: 'idle' };
  const c = deps.config;
  const leaseMs = c.WEBHOOK_TIMEOUT * 2 + 30_000;
  for (let round = 0; round < 2; round++) {
    const [sub] = returningRows<{ id: string; url: string; secret: string }>(await deps.ds.query(
      `UPDATE webhook_subscriptions SET lease_until = now() + make_interval(secs => $2)
        WHERE id = $1 AND enabled AND (lease_until IS NULL OR lease_until < now()) RETURNING id, url, secret`,
      [subscriptionId, leaseMs / 1000],
    ));
    if (!sub) {
      const [s]: { enabled: boolean }[] = await deps.ds.query(`SELECT enabled FROM webhook_subscriptions WHERE id = $1`, [subscriptionId]);
      out.state = !s ? 'gone' : s.enabled ? 'busy' : 'disabled';
      return out;
    }
    try {
      for (;;) {
        const [next]: Next[] = await deps.ds.query(
          `SELECT d.id, d.event_id, d.attempts, d.next_attempt_at, e.type, e.payload, e.created_at
             FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
            WHERE d.subscription_id = $1 AND d.status = 'queued' ORDER BY d.seq LIMIT 1`,
          [subscriptionId],
        );
        if (!next) break;
        if (next.next_attempt_at.getTime() > Date.now()) {
          await deps.wakeAt(subscriptionId, next.next_attempt_at, `${next.id}-a${next.attempts}`);
          out.state = 'waiting';
          return out;
        }
        const ok = await attempt(deps, sub, next);
        if (ok) out.delivered++;
        else {
          const after = await recordFailure(deps, subscriptionId, next);
          if (after === 'disabled') {
            out.state = 'disabled';
            return out;
          }
          if (after === 'retry') {
            const [d]: { next_attempt_at: Date; attempts: number }[] = await deps.ds.query(`SELECT next_attempt_at, attempts FROM webhook_deliveries WHERE id = $1`, [next.id]);
            await deps.wakeAt(subscriptionId, d!.next_attempt_at, `${next.id}-a${d!.attempts}`);
            out.state = 'waiting';
            return out;
          }
          out.failed++;
        }
        await deps.ds.query(`UPDATE webhook_subscriptions SET lease_until = now() + make_interval(secs => $2) WHERE id = $1`, [subscriptionId, leaseMs / 1000]);
      }
    } finally {
      await deps.ds.query(`UPDATE webhook_subscriptions SET lease_until = NULL WHERE id = $1`, [subscriptionId]);
    }
    // Released: a delivery queued while we held the lease may have found it taken; look once more.
    const [more]: unknown[] = await deps.ds.query(`SELECT 1 FROM webhook_deliveries WHERE subscription_id = $1 AND status = 'queued' LIMIT 1`, [subscriptionId]);
    if (!more) return out;
  }
  return out;
}

async function attempt(deps: DrainDeps, sub: { url: string; secret: string }, d: Next): Promise<boolean> {
  const body = JSON.stringify({ type: d.type, timestamp: d.created_at.toISOString(), data: d.payload });
  const headers = { 'content-type': 'application/json', 'user-agent': 'abuse-intake-webhooks/0.1', ...signedHeaders(sub.secret, webhookMessageId(d.event_id), body) };
  try {
    const res = await pinnedPost(sub.url, { headers, body, timeoutMs: deps.config.WEBHOOK_TIMEOUT, allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE });
    const ok = res.status >= 200 && res.status < 300;
    await deps.ds.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, response_ms = $3, last_error = $4,
              status = CASE WHEN $5 THEN 'sent' ELSE status END, delivered_at = CASE WHEN $5 THEN now() END WHERE id = $1`,
      [d.id, res.status, res.ms, ok ? null : `HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}: ${res.body.slice(0, 300)}`, ok],
    );
    if (ok) await deps.ds.query(`UPDATE webhook_subscriptions SET consecutive_failures = 0 WHERE id = (SELECT subscription_id FROM webhook_deliveries WHERE id = $1)`, [d.id]);
    return ok;
  } catch (err) {
    await deps.ds.query(`UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = NULL, last_error = $2 WHERE id = $1`, [d.id, (err as Error).message.slice(0, 1000)]);
    return false;
  }
}

/** After a failed attempt: schedule a retry, give up on this delivery, or disable the subscription. */
async function recordFailure(deps: DrainDeps, subscriptionId: string, d: Next): Promise<'retry' | 'failed' | 'disabled'> {
  const c = deps.config;
  const [sub] = returningRows<{ consecutive_failures: number }>(await deps.ds.query(
    `UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1 WHERE id = $1 RETURNING consecutive_failures`,
    [subscriptionId],
  ));
  const attempts = d.attempts + 1;
  if (attempts >= c.WEBHOOK_MAX_ATTEMPTS) await deps.ds.query(`UPDATE webhook_deliveries SET status = 'failed' WHERE id = $1`, [d.id]);
  else {
    const delay = c.WEBHOOK_RETRY_BASE * 2 ** (attempts - 1);
    await deps.ds.query(`UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => $2) WHERE id = $1`, [d.id, delay / 1000]);
  }
  if ((sub?.consecutive_failures ?? 0) >= c.WEBHOOK_MAX_FAILURES) {
    await deps.ds.query(
      `UPDATE webhook_subscriptions SET enabled = false, disabled_reason = $2 WHERE id = $1`,
      [subscriptionId, `disabled after ${sub!.consecutive_failures} failed attempts in a row`],
    );
    deps.log.warn({ subscriptionId }, 'webhook subscription disabled after repeated failures');
    return 'disabled';
  }
  return attempts >= c.WEBHOOK_MAX_ATTEMPTS ? 'failed' : 'retry';
}
