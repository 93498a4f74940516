import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Raw messages compressed in the table row instead of moved to the TOAST table: a typical
 * reported message (a few KB, ~half that compressed) then costs one heap tuple instead of a heap
 * tuple plus TOAST chunks and their index entries, written on the intake's request path. Values
 * that do not fit a page (large messages) still go out of line (`STORAGE MAIN` does that as a
 * last resort). Applies to rows written from now on.
 */
export class RawInline1764330000000 implements MigrationInterface {
  name = 'RawInline1764330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE raw_messages ALTER COLUMN content SET STORAGE MAIN`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE raw_messages ALTER COLUMN content SET STORAGE EXTENDED`);
  }
}
