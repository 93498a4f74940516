import http from 'node:http';
import https from 'node:https';
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

/** Queued deliveries read per query; their successes are recorded together, in one statement. */
const WINDOW = 32;

/** A delivery the receiver took (2xx), waiting to be recorded. */
interface Sent {
  id: string;
  status: number;
  ms: number;
  at: Date;
}

/**
 * Delivers a subscription's queued events in order (the `deliver` job). One drain per subscription
 * at a time: a lease on the subscription row (renewed while it works, expiring if the worker dies);
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
    // Bookkeeping per window, not per request: four commits per delivery held one subscription to a
    // few dozen deliveries a second (bench:e2e). A success not yet recorded when the worker dies is
    // sent again: at least once, as Standard Webhooks expects (receivers dedupe on webhook-id).
    let renewedAt = Date.now();
    const sent: Sent[] = [];
    // One connection kept alive for this drain of this one URL (a TLS handshake per event otherwise).
    const agent = sub.url.startsWith('https:') ? new https.Agent({ keepAlive: true, maxSockets: 1 }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (;;) {
        const window: Next[] = await deps.ds.query(
          `SELECT d.id, d.event_id, d.attempts, d.next_attempt_at, e.type, e.payload, e.created_at
             FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
            WHERE d.subscription_id = $1 AND d.status = 'queued' ORDER BY d.seq LIMIT $2`,
          [subscriptionId, WINDOW],
        );
        if (window.length === 0) break;
        for (const next of window) {
          if (next.next_attempt_at.getTime() > Date.now()) {
            await recordSent(deps, subscriptionId, sent);
            await deps.wakeAt(subscriptionId, next.next_attempt_at, `${next.id}-a${next.attempts}`);
            out.state = 'waiting';
            return out;
          }
          if (Date.now() - renewedAt > leaseMs / 3) {
            await deps.ds.query(`UPDATE webhook_subscriptions SET lease_until = now() + make_interval(secs => $2) WHERE id = $1`, [subscriptionId, leaseMs / 1000]);
            renewedAt = Date.now();
          }
          const result = await attempt(deps, sub, next, agent);
          if (result.ok) {
            sent.push({ id: next.id, status: result.status, ms: result.ms, at: new Date() });
            out.delivered++;
            continue;
          }
          // A failure is recorded at once, after the successes before it (the log stays in order).
          await recordSent(deps, subscriptionId, sent);
          await recordAttempt(deps, next.id, result);
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
        await recordSent(deps, subscriptionId, sent);
      }
    } finally {
      // An error mid-window: keep what the receiver already took, if the database lets us (else it is sent again).
      await recordSent(deps, subscriptionId, sent).catch(() => undefined);
      agent.destroy();
      await deps.ds.query(`UPDATE webhook_subscriptions SET lease_until = NULL WHERE id = $1`, [subscriptionId]);
    }
    // Released: a delivery queued while we held the lease may have found it taken; look once more.
    const [more]: unknown[] = await deps.ds.query(`SELECT 1 FROM webhook_deliveries WHERE subscription_id = $1 AND status = 'queued' LIMIT 1`, [subscriptionId]);
    if (!more) return out;
  }
  return out;
}

type AttemptResult = { ok: true; status: number; ms: number } | { ok: false; status: number | null; ms: number | null; error: string };

async function attempt(deps: DrainDeps, sub: { url: string; secret: string }, d: Next, agent: http.Agent): Promise<AttemptResult> {
  const body = JSON.stringify({ type: d.type, timestamp: d.created_at.toISOString(), data: d.payload });
  const headers = { 'content-type': 'application/json', 'user-agent': 'abuse-intake-webhooks/0.1', ...signedHeaders(sub.secret, webhookMessageId(d.event_id), body) };
  try {
    const res = await pinnedPost(sub.url, { headers, body, timeoutMs: deps.config.WEBHOOK_TIMEOUT, allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE, agent });
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, ms: res.ms };
    return { ok: false, status: res.status, ms: res.ms, error: `HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}: ${res.body.slice(0, 300)}` };
  } catch (err) {
    return { ok: false, status: null, ms: null, error: (err as Error).message.slice(0, 1000) };
  }
}

/** Records the deliveries the receiver took, in one statement, and ends the run of failures; empties `sent`. */
async function recordSent(deps: DrainDeps, subscriptionId: string, sent: Sent[]): Promise<void> {
  if (sent.length === 0) return;
  await deps.ds.query(
    `WITH s AS (
       UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_status = f.status, response_ms = f.ms, last_error = NULL,
              status = 'sent', delivered_at = f.at
         FROM unnest($2::uuid[], $3::int[], $4::int[], $5::timestamptz[]) AS f(id, status, ms, at)
        WHERE d.id = f.id RETURNING 1)
     UPDATE webhook_subscriptions SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0 AND EXISTS (SELECT 1 FROM s)`,
    [subscriptionId, sent.map((x) => x.id), sent.map((x) => x.status), sent.map((x) => x.ms), sent.map((x) => x.at.toISOString())],
  );
  sent.length = 0;
}

/** Records a failed attempt on its delivery (status and error for the delivery log). */
async function recordAttempt(deps: DrainDeps, id: string, r: Extract<AttemptResult, { ok: false }>): Promise<void> {
  await deps.ds.query(`UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, response_ms = $3, last_error = $4 WHERE id = $1`, [id, r.status, r.ms, r.error]);
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
