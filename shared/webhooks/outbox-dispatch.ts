import type { DataSource, EntityManager } from 'typeorm';
import { afterCommit, installAfterCommit } from '../reputation/store/after-commit.ts';

/**
 * How rows of the two outboxes (notifications, webhook deliveries) reach BullMQ after the
 * transaction that wrote them commits. A process that can enqueue installs a dispatcher on its
 * DataSource; code that writes outbox rows (`recordEvent`, the report commit) calls
 * `dispatchAfterCommit` and need not know whether one is installed. Without one, or when Redis
 * refuses, the rows stay `queued` and the sweeper enqueues them: nothing is lost, only later.
 * Rejected: threading a queue through every caller of `addListing` and friends.
 */
export interface OutboxDispatcher {
  notifications(ids: string[]): Promise<void>;
  /** Wakes the delivery drain of each subscription (deduplicated by the caller's job ids). */
  webhooks(deliveries: { id: string; subscriptionId: string }[]): Promise<void>;
}

const dispatchers = new WeakMap<DataSource, OutboxDispatcher>();

export function installOutboxDispatcher(ds: DataSource, d: OutboxDispatcher, onError: (err: unknown) => void): void {
  installAfterCommit(ds, onError);
  dispatchers.set(ds, d);
}

export function outboxDispatcher(ds: DataSource): OutboxDispatcher | undefined {
  return dispatchers.get(ds);
}

/** After the caller's transaction commits, hand the new rows to BullMQ (best effort: the sweeper backs it). */
export function dispatchAfterCommit(em: EntityManager, rows: { notifications?: string[]; webhooks?: { id: string; subscriptionId: string }[] }): void {
  const d = dispatchers.get(em.connection);
  if (!d || !em.queryRunner) return;
  if (rows.notifications?.length) afterCommit(em, () => d.notifications(rows.notifications!));
  if (rows.webhooks?.length) afterCommit(em, () => d.webhooks(rows.webhooks!));
}
