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
export async function queryBinary<R extends object>(ds: DataSource, text: string, values: unknown[]): Promise<R[]> {
  const config = { text, values, binary: true, types: BINARY_BYTEA_TYPES } as QueryConfig;
  return (await pgPool(ds).query<R>(config)).rows;
}
