import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The development outbox: mail kept instead of sent when `start --demo` runs without MAIL_RELAY_URL. */
export class DevOutbox1764340000000 implements MigrationInterface {
  name = 'DevOutbox1764340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dev_outbox (
      id uuid PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      message_id text,
      envelope_from text,
      envelope_to text[] NOT NULL,
      subject text,
      raw bytea NOT NULL)`);
    await q.query(`CREATE INDEX dev_outbox_created_at ON dev_outbox (created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dev_outbox`);
  }
}
