import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Submissions, raw messages, reports and API keys: the foundation's tables. */
export class InitialSchema1764240000000 implements MigrationInterface {
  name = 'InitialSchema1764240000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE raw_messages (
        sha256 char(64) PRIMARY KEY,
        content bytea NOT NULL,
        size_bytes integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE submissions (
        id uuid PRIMARY KEY,
        channel varchar(16) NOT NULL,
        received_at timestamptz NOT NULL,
        reporter text,
        envelope_from text,
        envelope_to text[],
        client_ip inet,
        category varchar(32),
        description text,
        raw_sha256 char(64) REFERENCES raw_messages(sha256) ON DELETE SET NULL,
        size_bytes integer NOT NULL,
        status varchar(16) NOT NULL
          CHECK (status IN ('received','queued','processed','failed','discarded')),
        error text,
        idempotency_key varchar(200),
        processed_at timestamptz
      )`);
    await q.query(`CREATE INDEX submissions_status_received_at ON submissions (status, received_at)`);
    await q.query(`CREATE INDEX submissions_received_at ON submissions (received_at)`);
    await q.query(`CREATE INDEX submissions_raw_sha256 ON submissions (raw_sha256)`);
    await q.query(`CREATE UNIQUE INDEX submissions_idempotency ON submissions (channel, idempotency_key)
                   WHERE idempotency_key IS NOT NULL`);
    await q.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY,
        submission_id uuid NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
        idx smallint NOT NULL,
        received_at timestamptz NOT NULL,
        channel varchar(16) NOT NULL,
        reporter text,
        kind varchar(16) NOT NULL,
        subject text,
        from_address text,
        from_domain text,
        message_id text,
        sent_at timestamptz,
        received_chain jsonb NOT NULL,
        hops jsonb NOT NULL DEFAULT '[]'::jsonb,
        direction varchar(16) NOT NULL DEFAULT 'unknown',
        relay_ip inet,
        originating_ip inet,
        via_platform boolean NOT NULL DEFAULT false,
        tenant_id varchar(100),
        recipient_tenant_id varchar(100),
        tenant_confidence varchar(16),
        conflict boolean NOT NULL DEFAULT false,
        feedback_type varchar(32),
        arf jsonb,
        evidence jsonb NOT NULL DEFAULT '[]'::jsonb
      )`);
    await q.query(`CREATE UNIQUE INDEX reports_submission_idx ON reports (submission_id, idx)`);
    // Analysts list newest first and filter by IP, tenant and time; keyset pagination on (received_at, id).
    await q.query(`CREATE INDEX reports_received_at_id ON reports (received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX reports_relay_ip ON reports (relay_ip, received_at DESC)`);
    await q.query(`CREATE INDEX reports_originating_ip ON reports (originating_ip, received_at DESC)`);
    await q.query(`CREATE INDEX reports_tenant ON reports (tenant_id, received_at DESC) WHERE tenant_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE api_keys (
        id varchar(32) PRIMARY KEY,
        role varchar(16) NOT NULL CHECK (role IN ('intake','analyst','admin','platform')),
        label text,
        secret_sha256 char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE reports`);
    await q.query(`DROP TABLE submissions`);
    await q.query(`DROP TABLE raw_messages`);
  }
}
