import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data for IP owners (docs/sender-data.md): owners signed in by mailed links, their sessions, the
 * ranges they asked for and proved, their secret data URL, and feedback-loop subscriptions whose
 * copies go through the tenant notifications outbox (channel `fbl`).
 */
export class SenderData1764500000000 implements MigrationInterface {
  name = 'SenderData1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sender_owners (
      id uuid PRIMARY KEY,
      email text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now())`);
    // Only the cookie token's SHA-256 is stored: a database reader cannot sign in as an owner.
    await q.query(`CREATE TABLE sender_owner_sessions (
      token_sha256 char(64) PRIMARY KEY,
      owner_id uuid NOT NULL REFERENCES sender_owners(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX sender_owner_sessions_expires ON sender_owner_sessions (expires_at)`);
    await q.query(`CREATE TABLE sender_ranges (
      id uuid PRIMARY KEY,
      owner_id uuid NOT NULL REFERENCES sender_owners(id) ON DELETE CASCADE,
      cidr cidr NOT NULL,
      status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected')),
      method varchar(16) CHECK (method IN ('ptr', 'analyst')),
      ptr_domains text[] NOT NULL DEFAULT '{}',
      mailed_to text,
      created_at timestamptz NOT NULL DEFAULT now(),
      decided_at timestamptz,
      decided_by text,
      note text)`);
    await q.query(`CREATE INDEX sender_ranges_owner ON sender_ranges (owner_id, created_at DESC)`);
    await q.query(`CREATE INDEX sender_ranges_verified ON sender_ranges USING gist (cidr inet_ops) WHERE status = 'verified'`);
    await q.query(`CREATE INDEX sender_ranges_pending ON sender_ranges (created_at) WHERE status = 'pending'`);
    await q.query(`CREATE TABLE sender_data_tokens (
      owner_id uuid PRIMARY KEY REFERENCES sender_owners(id) ON DELETE CASCADE,
      token_sha256 char(64) NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE sender_fbl_subscriptions (
      id uuid PRIMARY KEY,
      owner_id uuid NOT NULL REFERENCES sender_owners(id) ON DELETE CASCADE,
      email text NOT NULL,
      status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'removed')),
      created_at timestamptz NOT NULL DEFAULT now(),
      confirmed_at timestamptz,
      removed_at timestamptz)`);
    await q.query(`CREATE UNIQUE INDEX sender_fbl_live ON sender_fbl_subscriptions (owner_id, email) WHERE status <> 'removed'`);
    // One FBL copy per report per subscription, whatever redelivers (as notification_items for tenants).
    await q.query(`CREATE TABLE sender_fbl_items (
      report_id uuid NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
      subscription_id uuid NOT NULL REFERENCES sender_fbl_subscriptions(id) ON DELETE CASCADE,
      notification_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (report_id, subscription_id))`);
    await q.query(`ALTER TABLE notifications ADD COLUMN fbl_subscription_id uuid REFERENCES sender_fbl_subscriptions(id) ON DELETE SET NULL`);
    await q.query(`CREATE INDEX notifications_fbl ON notifications (fbl_subscription_id, sent_at) WHERE fbl_subscription_id IS NOT NULL`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check CHECK (channel IN ('arf', 'digest', 'fbl'))`);
    await q.query(`ALTER TABLE trust_confirmations DROP CONSTRAINT trust_confirmations_purpose_check`);
    await q.query(`ALTER TABLE trust_confirmations ADD CONSTRAINT trust_confirmations_purpose_check
      CHECK (purpose IN ('report', 'reporter', 'revoke', 'owner-signin', 'owner-range', 'owner-fbl'))`);
    // Per IP per day reads: reports by originating IP and time already have an index.
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM trust_confirmations WHERE purpose IN ('owner-signin', 'owner-range', 'owner-fbl')`);
    await q.query(`ALTER TABLE trust_confirmations DROP CONSTRAINT trust_confirmations_purpose_check`);
    await q.query(`ALTER TABLE trust_confirmations ADD CONSTRAINT trust_confirmations_purpose_check CHECK (purpose IN ('report', 'reporter', 'revoke'))`);
    await q.query(`DELETE FROM notifications WHERE channel = 'fbl'`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check CHECK (channel IN ('arf', 'digest'))`);
    await q.query(`ALTER TABLE notifications DROP COLUMN fbl_subscription_id`);
    for (const t of ['sender_fbl_items', 'sender_fbl_subscriptions', 'sender_data_tokens', 'sender_ranges', 'sender_owner_sessions', 'sender_owners']) await q.query(`DROP TABLE ${t}`);
  }
}
