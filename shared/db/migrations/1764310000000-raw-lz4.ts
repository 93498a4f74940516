import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Raw messages compressed with lz4 instead of pglz: the intake writes every message on the
 * request path, and pglz costs several times lz4's CPU for a similar ratio on mail text.
 * Applies to rows written from now on; older rows keep their compression.
 */
export class RawLz41764310000000 implements MigrationInterface {
  name = 'RawLz41764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE raw_messages ALTER COLUMN content SET COMPRESSION lz4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE raw_messages ALTER COLUMN content SET COMPRESSION pglz`);
  }
}
