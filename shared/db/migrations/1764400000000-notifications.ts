import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant notifications (ARF / digest mails, the tenant response page) and webhooks
 * (docs/notifications.md). Both are transactional outboxes: rows written in the transaction that
 * causes them, queued in BullMQ after COMMIT, re-queued by a sweeper when that step was lost.
 */
export class Notifications1764400000000 implements MigrationInterface {
  name = 'Notifications1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // Analyst state per tenant (the tenancy file holds the policy; this holds pause and digest clock).
    await q.query(`CREATE TABLE notify_state (
      tenant_id varchar(100) PRIMARY KEY,
      paused_at timestamptz, paused_by text,
      last_digest_at timestamptz)`);
    await q.query(`CREATE TABLE notifications (
      id uuid PRIMARY KEY,
      tenant_id varchar(100),
      channel varchar(16) NOT NULL CHECK (channel IN ('arf', 'digest')),
      trigger varchar(16) NOT NULL DEFAULT 'auto' CHECK (trigger IN ('auto', 'manual')),
      recipients text[] NOT NULL,
      report_ids uuid[] NOT NULL DEFAULT '{}',
      status varchar(16) NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'held')),
      attempts integer NOT NULL DEFAULT 0,
      generation integer NOT NULL DEFAULT 0,
      last_error text,
      message_id text,
      held_count integer NOT NULL DEFAULT 0,
      token_hash char(64) UNIQUE,
      token_expires_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      attempted_at timestamptz,
      sent_at timestamptz)`);
    await q.query(`CREATE INDEX notifications_tenant ON notifications (tenant_id, created_at DESC)`);
    await q.query(`CREATE INDEX notifications_queued ON notifications (created_at) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX notifications_sent ON notifications (tenant_id, sent_at) WHERE status = 'sent'`);
    await q.query(`CREATE INDEX notifications_reports ON notifications USING gin (report_ids)`);
    // Exactly one automatic notification per report per tenant: this key is claimed in the report's
    // transaction. notification_id is null while the report waits for a digest (digest mode, held);
    // deferred, so the key can be claimed before the notification row is written.
    await q.query(`CREATE TABLE notification_items (
      report_id uuid NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
      tenant_id varchar(100) NOT NULL,
      notification_id uuid REFERENCES notifications(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
      held boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (report_id, tenant_id))`);
    await q.query(`CREATE INDEX notification_items_pending ON notification_items (tenant_id, created_at) WHERE notification_id IS NULL`);
    await q.query(`CREATE INDEX notification_items_notification ON notification_items (notification_id)`);
    await q.query(`CREATE TABLE notification_answers (
      id bigserial PRIMARY KEY,
      notification_id uuid NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
      answer varchar(16) NOT NULL CHECK (answer IN ('resolved', 'investigating', 'disputed')),
      comment text NOT NULL DEFAULT '',
      client_ip inet,
      created_at timestamptz NOT NULL DEFAULT now(),
      reviewed_at timestamptz, reviewed_by text, review_note text)`);
    await q.query(`CREATE INDEX notification_answers_open ON notification_answers (created_at) WHERE answer = 'disputed' AND reviewed_at IS NULL`);
    await q.query(`CREATE INDEX notification_answers_notification ON notification_answers (notification_id)`);

    await q.query(`CREATE TABLE webhook_subscriptions (
      id uuid PRIMARY KEY,
      url text NOT NULL,
      events text[] NOT NULL,
      description text NOT NULL DEFAULT '',
      secret text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      disabled_reason text,
      consecutive_failures integer NOT NULL DEFAULT 0,
      lease_until timestamptz,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE webhook_events (
      id uuid PRIMARY KEY,
      type varchar(64) NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY,
      seq bigserial,
      subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
      event_id uuid NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
      status varchar(16) NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_status integer,
      last_error text,
      response_ms integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz)`);
    await q.query(`CREATE INDEX webhook_deliveries_queued ON webhook_deliveries (subscription_id, seq) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['webhook_deliveries', 'webhook_events', 'webhook_subscriptions', 'notification_answers', 'notification_items', 'notifications', 'notify_state']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
