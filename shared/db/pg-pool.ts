import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * The node-postgres pool under a TypeORM data source, for the few hot statements that need what
 * TypeORM's `query()` cannot pass (a prepared statement name).
 *
 * Never ask node-postgres for binary results (its `binary` query option): its protocol reader decodes every
 * field as UTF-8 text before a binary parser sees it, so any value whose bytes are not valid UTF-8
 * (a timestamptz, an int4 ≥ 128 in a byte, an 8-bit raw message) arrives with U+FFFD in place of
 * those bytes — report times off by minutes, raw messages altered (issue 12.1; tests in test/data/ and
 * test/reliability/load-raw-binary.test.ts). No type parser can undo that; bytea is read in text mode
 * (`encode(…, 'base64')`, see workers/submissions/load-raw.ts).
 */
export function pgPool(ds: DataSource): Pool {
  return (ds.driver as PostgresDriver).master as Pool;
}

/** The pool, or one client checked out of it. */
export type Queryable = Pick<Pool, 'query'>;

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
