import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReporterTrust } from '../../trust/reporter-trust.ts';

/**
 * One reported message found in a submission (a forward with three attachments gives three).
 * `(submission_id, idx)` is unique: a redelivered job cannot write a report twice.
 */
@Entity({ name: 'reports' })
@Index('reports_submission_idx', ['submissionId', 'idx'], { unique: true })
export class Report {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  /** Position of this reported message inside its submission. */
  @Column({ type: 'smallint' })
  idx!: number;

  /** Copied from the submission so that time-ordered queries need no join. */
  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  channel!: string;

  @Column({ type: 'text', nullable: true })
  reporter!: string | null;

  /** arf, xarf, forward, direct (dsn/auto-reply/empty give no report row). */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ name: 'from_address', type: 'text', nullable: true })
  fromAddress!: string | null;

  @Column({ name: 'from_domain', type: 'text', nullable: true })
  fromDomain!: string | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  /** The reported message's own Date header. */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** The Received header values, newest first, as they were. */
  @Column({ name: 'received_chain', type: 'jsonb' })
  receivedChain!: string[];

  /** Parsed hops (see shared/analysis). */
  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  hops!: unknown[];

  /** Index in `hops` of the hop that ended the walk (null: no hop decided). */
  @Column({ name: 'deciding_hop', type: 'smallint', nullable: true })
  decidingHop!: number | null;

  @Column({ type: 'varchar', length: 16, default: 'unknown' })
  direction!: string;

  @Column({ name: 'relay_ip', type: 'inet', nullable: true })
  relayIp!: string | null;

  @Column({ name: 'originating_ip', type: 'inet', nullable: true })
  originatingIp!: string | null;

  @Column({ name: 'via_platform', type: 'boolean', default: false })
  viaPlatform!: boolean;

  @Column({ name: 'tenant_id', type: 'varchar', length: 100, nullable: true })
  tenantId!: string | null;

  @Column({ name: 'recipient_tenant_id', type: 'varchar', length: 100, nullable: true })
  recipientTenantId!: string | null;

  @Column({ name: 'tenant_confidence', type: 'varchar', length: 16, nullable: true })
  tenantConfidence!: string | null;

  @Column({ type: 'boolean', default: false })
  conflict!: boolean;

  @Column({ name: 'feedback_type', type: 'varchar', length: 32, nullable: true })
  feedbackType!: string | null;

  /** How much the reporter is trusted (shared/trust/reporter-trust.ts); decides whether the report moves reputation. */
  @Column({ name: 'reporter_trust', type: 'varchar', length: 16, default: 'anonymous' })
  reporterTrust!: ReporterTrust;

  /** The sending domain reputation scores (DKIM d= or the From domain); null on rows stored before it was kept. */
  @Column({ name: 'sending_domain', type: 'text', nullable: true })
  sendingDomain!: string | null;

  /** A trap hit (channel `trap`): the HELO/EHLO name the client gave our front door, as sent; null otherwise. */
  @Column({ name: 'smtp_helo', type: 'text', nullable: true })
  smtpHelo!: string | null;

  /** A trap hit: the envelope sender (MAIL FROM) the client gave, '' for `<>`; null otherwise. */
  @Column({ name: 'smtp_mail_from', type: 'text', nullable: true })
  smtpMailFrom!: string | null;

  /** ARF / X-ARF report fields, as read. */
  @Column({ type: 'jsonb', nullable: true })
  arf!: Record<string, unknown> | null;

  /** The campaign this report belongs to (docs/campaigns.md); null until assigned, or when its content cannot be judged. */
  @Column({ name: 'campaign_id', type: 'bigint', nullable: true })
  campaignId!: string | null;

  /** The evidence trail: one line per attribution step. */
  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  evidence!: string[];
}
