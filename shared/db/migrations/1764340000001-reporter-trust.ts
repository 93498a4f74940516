import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every submission and report carries the trust of its reporter (shared/trust/reporter-trust.ts).
 * The column starts as `anonymous` everywhere; intake decides it for new submissions, and the trust
 * migration that follows marks existing rows by channel.
 */
export class ReporterTrust1764340000001 implements MigrationInterface {
  name = 'ReporterTrust1764340000001';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['submissions', 'reports']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN reporter_trust varchar(16) NOT NULL DEFAULT 'anonymous'
        CONSTRAINT ${table}_reporter_trust_check CHECK (reporter_trust IN ('anonymous', 'verified', 'platform', 'feed'))`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['submissions', 'reports']) await q.query(`ALTER TABLE ${table} DROP COLUMN reporter_trust`);
  }
}
