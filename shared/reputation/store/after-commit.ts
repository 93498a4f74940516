import type { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

/**
 * Work to do once a transaction has committed (the Redis copy of listings must never show a
 * listing that a rollback undid). TypeORM has no per-transaction hook, so callbacks ride in
 * `queryRunner.data` and one subscriber runs them after the outermost COMMIT. Rejected: a
 * second call in every caller after `transaction()` — easy to forget, and the caller is shared.
 */
type Callback = () => Promise<void>;
const KEY = 'afterCommit';

export function afterCommit(em: EntityManager, fn: Callback): void {
  const qr = em.queryRunner;
  if (!qr) throw new Error('afterCommit needs a transactional EntityManager');
  ((qr.data[KEY] ??= []) as Callback[]).push(fn);
}

class AfterCommitSubscriber implements EntitySubscriberInterface {
  constructor(private readonly onError: (err: unknown) => void) {}

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const qr = event.queryRunner;
    if (qr.isTransactionActive) return; // a savepoint was released, not the real COMMIT
    const fns = (qr.data[KEY] ?? []) as Callback[];
    delete qr.data[KEY];
    for (const fn of fns) await fn().catch(this.onError);
  }

  // A rolled-back transaction must not run them on the connection's next use.
  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) delete event.queryRunner.data[KEY];
  }
}

const installed = new WeakSet<DataSource>();

/** Installs the runner on a DataSource once; failures are reported, never thrown after a commit. */
export function installAfterCommit(ds: DataSource, onError: (err: unknown) => void): void {
  if (installed.has(ds)) return;
  installed.add(ds);
  ds.subscribers.push(new AfterCommitSubscriber(onError));
}
