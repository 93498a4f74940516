import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import type { Config } from '../shared/config/config.schema.ts';
import type { Logger } from '../shared/logger.ts';
import type { SubmissionQueue } from '../shared/queue/submission-queue.ts';
import type { SubmissionWriter } from '../shared/intake/submission-writer.ts';
import type { Mailer } from '../shared/mail/mailer.ts';
import type { OutboxQueues } from '../shared/queue/outbox-queues.ts';

/** What the HTTP and SMTP front doors need; built once by the runtime and passed down. */
export interface ApiContext {
  config: Config;
  ds: DataSource;
  redis: Redis;
  queue: SubmissionQueue;
  writer: SubmissionWriter;
  log: Logger;
  /** Every mail the service sends goes through this (relay, demo outbox, or refused). */
  mailer: Mailer;
  /** Notification and webhook queues (manual notify, re-drive, test events); absent → rows wait for the sweep. */
  outbox?: OutboxQueues;
}
