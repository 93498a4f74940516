import type { Pool, QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * The node-postgres pool under a TypeORM data source, for the few hot statements that need what
 * TypeORM's `query()` cannot pass (a prepared statement name), and raw messages read apart.
 */
export function pgPool(ds: DataSource): Pool {
  return (ds.driver as PostgresDriver).master as Pool;
}

/** The pool, or one client checked out of it. */
export type Queryable = Pick<Pool, 'query'>;

/**
 * Runs a query for raw messages (bytea as Buffers). In TEXT mode, on purpose: node-postgres decodes
 * every DataRow field as a UTF-8 string, so `binary: true` results turned every byte ≥ 0x80 into
 * U+FFFD — 8-bit raw messages were corrupted, sizes misread, and binary timestamps came back days
 * off (every report's received_at since late November 2026; test/reliability/load-raw-binary.test.ts).
 * A text-mode bytea is hex, decoded natively by pg's parser: twice the bytes on the wire, exact.
 * The name stays for its callers.
 */
export async function queryBinary<R extends object>(on: Queryable, text: string, values: unknown[]): Promise<R[]> {
  const config: QueryConfig = { text, values };
  return (await on.query<R>(config)).rows;
}

/**
 * Runs `work` on a connection of its own that is closed afterwards instead of going back to the
 * pool. For reading large values: node-postgres keeps each connection's read buffer at the largest
 * message it ever received, so 1 MiB slices read over pooled connections left ~2 MB per connection
 * behind for good (tens of MB per worker).
 */
export async function withThrowawayClient<T>(ds: DataSource, work: (client: Queryable) => Promise<T>): Promise<T> {
  const client = await pgPool(ds).connect();
  try {
    return await work(client);
  } finally {
    client.release(true);
  }
}
