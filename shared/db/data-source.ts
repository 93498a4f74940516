import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities/index.ts';
import { MIGRATIONS } from './migrations/index.ts';

export interface DataSourceOptions {
  url: string;
  /** Connections in the pool. @defaultValue 10 */
  poolSize?: number;
}

/** Builds (does not connect) the TypeORM DataSource. Call `.initialize()` to connect. */
export function createDataSource({ url, poolSize = 10 }: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    // A request must fail fast when Postgres is gone, so intake can answer 503 instead of hanging.
    connectTimeoutMS: 3000,
    extra: { max: poolSize, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000 },
  });
}
