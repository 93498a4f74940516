import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Stores which hop ended the chain walk, so analysts see the deciding hop rather than a guess. */
export class ReportDecidingHop1764290000000 implements MigrationInterface {
  name = 'ReportDecidingHop1764290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reports ADD COLUMN deciding_hop smallint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reports DROP COLUMN deciding_hop`);
  }
}
