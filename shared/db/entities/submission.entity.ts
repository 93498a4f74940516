import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReporterTrust } from '../../trust/reporter-trust.ts';

export const SUBMISSION_STATUSES = ['received', 'queued', 'processed', 'failed', 'discarded'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** `trap`: mail the SMTP front door received for one of the TRAP_ADDRESSES (docs/intake.md, "Spam traps"). */
export const CHANNELS = ['http', 'smtp', 'webform', 'api', 'trap'] as const;
export type Channel = (typeof CHANNELS)[number];

/** One thing that came in: an HTTP post, an SMTP transaction, a web-form submission. */
@Entity({ name: 'submissions' })
@Index('submissions_status_received_at', ['status', 'receivedAt'])
@Index('submissions_received_at', ['receivedAt'])
export class Submission {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: Channel;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  /** Who reported: envelope sender, the wrapper's From, a form's email; pseudonymised after PSEUDONYMISE_DAYS. */
  @Column({ type: 'text', nullable: true })
  reporter!: string | null;

  @Column({ name: 'envelope_from', type: 'text', nullable: true })
  envelopeFrom!: string | null;

  @Column({ name: 'envelope_to', type: 'text', array: true, nullable: true })
  envelopeTo!: string[] | null;

  @Column({ name: 'client_ip', type: 'inet', nullable: true })
  clientIp!: string | null;

  /** SMTP channels: the HELO/EHLO name the client gave, as sent (bounded); null elsewhere. */
  @Column({ name: 'smtp_helo', type: 'text', nullable: true })
  smtpHelo!: string | null;

  /** spam, abuse, feedback-loop, phishing, malware, scam, other — from the intake address or the form. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  category!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** Null once the raw message was deleted by retention. */
  @Column({ name: 'raw_sha256', type: 'char', length: 64, nullable: true })
  rawSha256!: string | null;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: SubmissionStatus;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, nullable: true })
  idempotencyKey!: string | null;

  /** The API key that sent it (HTTP intake); idempotency keys are unique per channel and API key. */
  @Column({ name: 'api_key_id', type: 'varchar', length: 32, nullable: true })
  apiKeyId!: string | null;

  /** The intake batch (and BullMQ job id) it was queued with; null when queued on its own. */
  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId!: string | null;

  /** How much the reporter is trusted (shared/trust/reporter-trust.ts); decides whether the report moves reputation. */
  @Column({ name: 'reporter_trust', type: 'varchar', length: 16, default: 'anonymous' })
  reporterTrust!: ReporterTrust;

  /** Who vouches for the report when its trust allows it to count (a key, a feed, a verified address); distinct reporters are these. */
  @Column({ name: 'reporter_identity', type: 'text', nullable: true })
  reporterIdentity!: string | null;

  /** The feedback loop the intake channel was bound to (a feed key, a feed's source network); null otherwise. */
  @Column({ name: 'feedback_loop', type: 'text', nullable: true })
  feedbackLoop!: string | null;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
