import type { DataSource, EntityManager } from 'typeorm';
import type { CompiledTenancy } from './compiled-tenancy.ts';
import { EMPTY_COMPILED_TENANCY, compileTenancy } from './compile-tenancy.ts';
import { loadTenancy, tenancyVersion } from './tenancy-store.ts';

export interface TenancyCacheOptions {
  /** How often, at most, the version row is read to notice an import. @defaultValue 5000 */
  refreshMs?: number;
  /** Clock, for tests. @defaultValue Date.now */
  now?: () => number;
}

/**
 * The worker's view of the imported tenancy: compiled once per version, and the version checked at
 * most every `refreshMs` (one primary-key read), so an import reaches every worker within that time
 * without a per-message query. Rejected: LISTEN/NOTIFY, which needs a dedicated connection per
 * process and still needs the poll as a fallback after a reconnect.
 */
export class TenancyCache {
  private current: { version: number; compiled: CompiledTenancy } | null = null;
  private checkedAt = -Infinity;
  private inflight: Promise<CompiledTenancy> | null = null;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(private readonly ds: DataSource, opts: TenancyCacheOptions = {}) {
    this.refreshMs = opts.refreshMs ?? 5000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * The compiled tenancy (the empty one when nothing was imported). Inside a transaction, pass its
   * EntityManager: a check then reads on the transaction's own connection. Read on another
   * connection, it could wait behind a lock (a TRUNCATE, a migration's ALTER) that itself waits
   * for this transaction's row locks — a deadlock across two connections Postgres cannot see.
   */
  async get(em?: EntityManager): Promise<CompiledTenancy> {
    if (this.current && this.now() - this.checkedAt < this.refreshMs) return this.current.compiled;
    // In a transaction: its own check (sharing another connection's would bring the wait back).
    if (em) return this.refresh(em);
    // One refresh at a time: concurrent jobs share it instead of each querying.
    this.inflight ??= this.refresh(this.ds).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Forces the next `get()` to check the version (after an import in this process). */
  invalidate(): void {
    this.checkedAt = -Infinity;
  }

  private async refresh(on: DataSource | EntityManager): Promise<CompiledTenancy> {
    const version = await tenancyVersion(on);
    this.checkedAt = this.now();
    if (this.current && this.current.version === version) return this.current.compiled;
    const loaded = await loadTenancy(on);
    const compiled = loaded ? compileTenancy(loaded.tenancy) : EMPTY_COMPILED_TENANCY;
    this.current = { version: loaded?.version ?? 0, compiled };
    return compiled;
  }
}
