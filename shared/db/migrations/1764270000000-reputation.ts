import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sender reputation: scores, reporters, listings and their history, tenant flags, volume, delist requests. */
export class Reputation1764270000000 implements MigrationInterface {
  name = 'Reputation1764270000000';

  async up(q: QueryRunner): Promise<void> {
    // Scores are stored as (score, updated_at) and decayed by whoever reads them.
    await q.query(`
      CREATE TABLE reputation_subjects (
        kind varchar(8) NOT NULL CHECK (kind IN ('ip','tenant','domain')),
        key text NOT NULL,
        score double precision NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL,
        reports integer NOT NULL DEFAULT 0,
        last_report_at timestamptz,
        platform boolean NOT NULL DEFAULT false,
        PRIMARY KEY (kind, key)
      )`);
    await q.query(`
      CREATE TABLE reputation_reporters (
        kind varchar(8) NOT NULL,
        key text NOT NULL,
        reporter text NOT NULL,
        reports integer NOT NULL DEFAULT 0,
        last_at timestamptz NOT NULL,
        PRIMARY KEY (kind, key, reporter)
      )`);
    // One row per report and subject: the explanation of every score change.
    await q.query(`
      CREATE TABLE reputation_events (
        id bigserial PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        kind varchar(8) NOT NULL,
        key text NOT NULL,
        reporter text NOT NULL,
        weight double precision NOT NULL,
        reason text NOT NULL,
        at timestamptz NOT NULL,
        UNIQUE (report_id, kind, key)
      )`);
    await q.query(`CREATE INDEX reputation_events_subject ON reputation_events (kind, key, at DESC)`);
    await q.query(`
      CREATE TABLE listings (
        ip inet PRIMARY KEY,
        listed_at timestamptz NOT NULL,
        reasons jsonb NOT NULL
      )`);
    await q.query(`
      CREATE TABLE listing_history (
        id bigserial PRIMARY KEY,
        ip inet NOT NULL,
        action varchar(16) NOT NULL CHECK (action IN ('listed','expired','delisted','manual')),
        reason text NOT NULL,
        actor text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX listing_history_ip ON listing_history (ip, at DESC)`);
    await q.query(`
      CREATE TABLE tenant_flags (
        tenant_id varchar(100) PRIMARY KEY,
        flagged_at timestamptz NOT NULL,
        score double precision NOT NULL,
        reasons jsonb NOT NULL,
        cleared_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE delivery_volume (
        kind varchar(8) NOT NULL CHECK (kind IN ('ip','tenant')),
        key text NOT NULL,
        hour timestamptz NOT NULL,
        delivered bigint NOT NULL CHECK (delivered >= 0),
        PRIMARY KEY (kind, key, hour)
      )`);
    await q.query(`
      CREATE TABLE delist_requests (
        id uuid PRIMARY KEY,
        ip inet NOT NULL,
        email text NOT NULL,
        token_sha256 char(64) NOT NULL UNIQUE,
        client_ip inet,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        status varchar(16) NOT NULL
          CHECK (status IN ('unconfirmed','delisted','queued','approved','denied','not_listed')),
        reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
        decided_by text,
        decided_at timestamptz,
        decision_reason text
      )`);
    await q.query(`CREATE INDEX delist_requests_status ON delist_requests (status, created_at)`);
    await q.query(`
      CREATE TABLE delist_audit (
        id bigserial PRIMARY KEY,
        request_id uuid REFERENCES delist_requests(id) ON DELETE CASCADE,
        ip inet,
        email text,
        client_ip inet,
        action varchar(32) NOT NULL,
        detail text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX delist_audit_request ON delist_audit (request_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['delist_audit', 'delist_requests', 'delivery_volume', 'tenant_flags', 'listing_history', 'listings', 'reputation_events', 'reputation_reporters', 'reputation_subjects']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
