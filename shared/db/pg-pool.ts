import pg, { type Pool, type QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * The node-postgres pool under a TypeORM data source, for the few hot statements that need what
 * TypeORM's `query()` cannot pass: a prepared statement name, binary results.
 */
export function pgPool(ds: DataSource): Pool {
  return (ds.driver as PostgresDriver).master as Pool;
}

/** The pool, or one client checked out of it. */
export type Queryable = Pick<Pool, 'query'>;

const BYTEA_OID = 17;

/**
 * Type parsers for `binary: true` queries that read raw messages: a bytea comes as the bytes
 * themselves (in text mode it is hex, twice the size, decoded in JavaScript); other columns parse
 * as node-postgres parses them in binary, so select only types it knows (cast uuids to text).
 */
export const BINARY_BYTEA_TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (format === 'binary' && oid === BYTEA_OID) return (value: Buffer) => value;
    return pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
  },
};

/**
 * Runs a query with results in binary (node-postgres supports `binary` per query; its type
 * declarations do not list it) and raw messages as Buffers (`BINARY_BYTEA_TYPES`).
 */
export async function queryBinary<R extends object>(on: Queryable, text: string, values: unknown[]): Promise<R[]> {
  const config = { text, values, binary: true, types: BINARY_BYTEA_TYPES } as QueryConfig;
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
