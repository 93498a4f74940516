import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The imported tenancy file. `tenancy_state` holds the whole validated document (what workers compile)
 * and a version that every changing import bumps, so caches notice a change with one tiny query;
 * `tenants` is the same tenants as rows, for joins and analyst queries.
 */
export class Tenancy1764250000000 implements MigrationInterface {
  name = 'Tenancy1764250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenancy_state (
        id smallint PRIMARY KEY CHECK (id = 1),
        version integer NOT NULL,
        document jsonb NOT NULL,
        source text,
        imported_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE tenants (
        id varchar(100) PRIMARY KEY,
        name text NOT NULL,
        external_ids text[] NOT NULL DEFAULT '{}',
        domains text[] NOT NULL DEFAULT '{}',
        networks inet[] NOT NULL DEFAULT '{}',
        abuse_contact text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Reputation and analyst views look tenants up by domain.
    await q.query(`CREATE INDEX tenants_domains ON tenants USING gin (domains)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenants`);
    await q.query(`DROP TABLE tenancy_state`);
  }
}
