import type { Server } from 'node:http';
import type { EntityManager } from 'typeorm';
import type { Worker, Queue } from 'bullmq';
import type { Config } from '../shared/config/config.schema.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { migrate } from '../shared/db/migrate.ts';
import { createDataSource } from '../shared/db/data-source.ts';
import { createRedis } from '../shared/queue/redis.ts';
import { createSubmissionQueue } from '../shared/queue/submission-queue.ts';
import { SubmissionWriter } from '../shared/intake/submission-writer.ts';
import { createApp } from '../api/app.ts';
import { createHttpServer, listen } from '../api/http-server.ts';
import { startSmtpFrontDoor } from '../api/smtp/smtp-front-door.ts';
import { createSubmissionWorker } from '../workers/submissions/submission.worker.ts';
import { startMaintenance } from '../workers/maintenance/maintenance.worker.ts';
import { sweepSubmissions } from '../workers/maintenance/sweep-submissions.ts';
import { applyRetention } from '../workers/maintenance/retention.ts';
import { resolvePseudonymKey } from '../shared/privacy/pseudonym-key.ts';
import { analyzeWithTenancy } from '../workers/submissions/analyze-with-tenancy.ts';
import { importTenancyFile } from '../shared/tenancy/import-tenancy-file.ts';
import { reputationRuntime } from '../workers/reputation/reputation-runtime.ts';
import { IpCache } from '../shared/reputation/store/ip-cache.ts';
import { createMailer } from '../shared/mail/mailer.ts';
import { KeyChangeFeed } from '../shared/auth/key-changes.ts';
import { createOutboxQueues } from '../shared/queue/outbox-queues.ts';
import { installOutboxDispatcher } from '../shared/webhooks/outbox-dispatch.ts';
import { TenancyCache } from '../shared/tenancy/tenancy-cache.ts';
import { startNotificationWorker } from '../workers/notifications/notifications.worker.ts';
import { startWebhookWorker } from '../workers/webhooks/webhooks.worker.ts';

function onceReady(redis: { status: string; once(e: string, f: () => void): unknown }, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis not ready after ${ms} ms`)), ms);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export interface RunningService {
  /** The HTTP port actually bound (useful with PORT=0 in tests). */
  httpPort: number | null;
  /** The SMTP port actually bound when the smtp role runs (SMTP_PORT=0 in tests). */
  smtpPort: number | null;
  /** Where mail goes: relay, the development outbox, or nowhere (shared/mail/mailer.ts). */
  mail: 'relay' | 'outbox' | 'none';
  log: Logger;
  /** Stops accepting, finishes in-flight work, closes connections. */
  stop(): Promise<void>;
}

/**
 * Starts the roles named in `config.ROLES` in this process. Every role shares one DataSource and
 * one Redis connection set; nothing connects before this is called.
 */
export interface StartOptions {
  /** `start --demo`: without MAIL_RELAY_URL, mail goes to the development outbox (never in production). */
  demo?: boolean;
}

export async function startService(config: Config, log: Logger = createLogger(config.LOG_LEVEL), opts: StartOptions = {}): Promise<RunningService> {
  const applied = await migrate(config.DATABASE_URL);
  if (applied.length) log.info({ applied }, 'migrations applied');

  const ds = createDataSource({ url: config.DATABASE_URL, poolSize: 20 });
  await ds.initialize();
  if (config.TENANCY_FILE) {
    await importTenancyFile(ds, config.TENANCY_FILE, log).catch(async (err: unknown) => {
      await ds.destroy();
      throw err;
    });
  }
  const onRedisError = (err: Error) => log.warn({ err: err.message }, 'redis connection lost; reconnecting');
  const redis = createRedis(config.REDIS_URL, { name: 'abuse-intake', onError: onRedisError });
  const producerRedis = createRedis(config.REDIS_URL, { failFast: true, name: 'abuse-intake-producer' });
  const queue = createSubmissionQueue(producerRedis, config.REDIS_PREFIX);
  // Intake works without Redis (the sweeper queues later), but give it a moment so a fresh start queues at once.
  await onceReady(producerRedis, 5000).catch((err: Error) => log.warn({ err: err.message }, 'redis not ready; intake will rely on the sweeper'));
  const mailer = createMailer(config, { ds, log, demo: opts.demo });
  // Notifications and webhooks: rows written in transactions are queued after COMMIT (docs/notifications.md).
  const outbox = createOutboxQueues(redis, config);
  installOutboxDispatcher(ds, outbox.dispatcher, (err) => log.warn({ err }, 'outbox: enqueue after commit failed; the sweep will queue it'));
  const closers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const close of closers) await close().catch((err) => log.warn({ err }, 'error while stopping'));
    mailer.close();
    await outbox.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
    redis.disconnect();
    producerRedis.disconnect();
    await ds.destroy();
  };
  let httpPort: number | null = null;
  let smtpPort: number | null = null;
  try {
    // The MTA lookup reads a Redis copy of the listings: rebuild it from Postgres before serving.
    if (config.ROLES.includes('api') || config.ROLES.includes('worker')) {
      await new IpCache(redis, config.REDIS_PREFIX).rebuildAtStart(ds, (err) => log.warn({ err: err.message }, 'listings copy not rebuilt at start'));
    }

    if (config.ROLES.includes('api')) {
      const writer = new SubmissionWriter(ds, queue, log.child({ role: 'api' }));
      const keyChanges = KeyChangeFeed.start(config.REDIS_URL, config.REDIS_PREFIX, log.child({ role: 'api' }));
      closers.push(async () => keyChanges.close());
      const app = createApp({ config, ds, redis, queue, writer, mailer, outbox, keyChanges, log: log.child({ role: 'api' }) });
      const server: Server = await listen(createHttpServer(app, config), config.PORT, config.HOST);
      const addr = server.address();
      httpPort = typeof addr === 'object' && addr ? addr.port : null;
      log.info({ port: httpPort }, 'http listening');
      closers.push(async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await writer.drain();
      });
    }

    if (config.ROLES.includes('smtp')) {
      const smtpLog = log.child({ role: 'smtp' });
      const writer = new SubmissionWriter(ds, queue, smtpLog);
      const smtp = await startSmtpFrontDoor({ config, ds, redis, queue, writer, mailer, log: smtpLog });
      smtpPort = smtp.port;
      closers.push(async () => {
        await smtp.close();
        await writer.drain();
      });
    }

    if (config.ROLES.includes('worker')) {
      const workerLog = log.child({ role: 'worker' });
      const pseudonymKey = resolvePseudonymKey(config, workerLog); // before any connection: it may refuse to start
      const workerRedis = createRedis(config.REDIS_URL, { name: 'abuse-intake-worker' });
      const tenancyCache = new TenancyCache(ds, { refreshMs: config.TENANCY_REFRESH_SECONDS * 1000 });
      const tenancy = (em?: EntityManager) => tenancyCache.get(em);
      const reputation = reputationRuntime(config, ds, redis, workerLog, { tenancy, minTrust: config.REPUTATION_MIN_TRUST });
      const worker: Worker = createSubmissionWorker(
        { ds, log: workerLog, analyze: analyzeWithTenancy(ds, config.TENANCY_REFRESH_SECONDS), reputation: reputation.context, outbox: { tenancy, minTrust: config.REPUTATION_MIN_TRUST },
          campaigns: { alertReports: config.CAMPAIGN_ALERT_REPORTS, alertMinTrust: config.REPUTATION_MIN_TRUST, log: workerLog } },
        { connection: workerRedis, prefix: config.REDIS_PREFIX, concurrency: config.WORKER_CONCURRENCY, applyTrustChanges: reputation.applyTrustChanges },
      );
      const maintenance: { worker: Worker; queue: Queue } = await startMaintenance({
        connection: workerRedis,
        prefix: config.REDIS_PREFIX,
        log: workerLog,
        handlers: {
          'sweep-submissions': () => sweepSubmissions(ds, queue, config.SWEEP_AFTER_SECONDS),
          'expire-listings': () => reputation.expire(),
          retention: () => applyRetention(ds, { retentionDays: config.RETENTION_DAYS, pseudonymiseDays: config.PSEUDONYMISE_DAYS, key: pseudonymKey }),
          'apply-trust-changes': reputation.applyTrustChanges,
        },
        every: { 'sweep-submissions': 15_000, 'expire-listings': 60_000, retention: 3_600_000, 'apply-trust-changes': 10_000 },
      });
      const notificationWorker = await startNotificationWorker({ ds, mailer, config, tenancy, log: workerLog }, { connection: workerRedis, prefix: config.REDIS_PREFIX, queues: outbox });
      const webhookWorker = await startWebhookWorker({ ds, config, log: workerLog }, { connection: workerRedis, prefix: config.REDIS_PREFIX, queues: outbox });
      closers.push(async () => {
        await worker.close();
        await notificationWorker.close();
        await webhookWorker.close();
        await maintenance.worker.close();
        await maintenance.queue.close();
        workerRedis.disconnect();
      });
    }
  } catch (err) {
    // A role that cannot start (a port in use, a missing production secret) must not leave the
    // others' connections and servers holding the process open: release them, then fail.
    await stop().catch(() => undefined);
    throw err;
  }

  return { httpPort, smtpPort, mail: mailer.kind, log, stop };
}
