import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { WEBHOOK_EVENTS, type WebhookEventType, type WebhookPayload } from './events.ts';
import { dispatchAfterCommit } from './outbox-dispatch.ts';

export interface RecordedEvent<T extends WebhookEventType = WebhookEventType> {
  type: T;
  payload: WebhookPayload<T>;
}

/**
 * Records webhook events in the caller's transaction: the event row and one delivery per enabled
 * subscription to its type, in ONE statement; nothing is written when nobody subscribes (the hot
 * report path then pays one cheap statement). Deliveries are queued after COMMIT, so an event
 * exists exactly when the change that raised it does. Use inside the transaction of that change.
 */
export async function recordEvents(em: EntityManager, events: RecordedEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const ids: string[] = [];
  const types: string[] = [];
  const payloads: string[] = [];
  for (const e of events) {
    ids.push(randomUUID());
    types.push(e.type);
    payloads.push(JSON.stringify(WEBHOOK_EVENTS[e.type].parse(e.payload)));
  }
  const rows: { id: string; subscription_id: string }[] = await em.query(
    `WITH subs AS (SELECT id, events FROM webhook_subscriptions WHERE enabled),
     ev AS (
       INSERT INTO webhook_events (id, type, payload)
       SELECT e.id, e.type, e.payload FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) WITH ORDINALITY AS e(id, type, payload, o)
        WHERE EXISTS (SELECT 1 FROM subs WHERE e.type = ANY(subs.events)) ORDER BY e.o
       RETURNING id, type)
     INSERT INTO webhook_deliveries (id, subscription_id, event_id)
     SELECT gen_random_uuid(), subs.id, ev.id FROM ev JOIN subs ON ev.type = ANY(subs.events)
      ORDER BY array_position($1::uuid[], ev.id)
     RETURNING id, subscription_id`,
    [ids, types, payloads],
  );
  dispatchAfterCommit(em, { webhooks: rows.map((r) => ({ id: r.id, subscriptionId: r.subscription_id })) });
  return rows.length;
}

/** One event (see `recordEvents`). */
export function recordEvent<T extends WebhookEventType>(em: EntityManager, type: T, payload: WebhookPayload<T>): Promise<number> {
  return recordEvents(em, [{ type, payload } as RecordedEvent]);
}
