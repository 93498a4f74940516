import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The intake queues one job per committed batch (job id = batch id) instead of one per
 * submission; each submission records its batch so the sweeper can tell "its batch job is still
 * waiting" from "nothing will process it". Written by the intake's INSERT, never updated: no index.
 */
export class SubmissionBatch1764320000000 implements MigrationInterface {
  name = 'SubmissionBatch1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE submissions ADD COLUMN batch_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE submissions DROP COLUMN batch_id`);
  }
}
