import type { Express } from 'express';
import type { DestinationStream } from 'pino';
import { createApp } from '../../api/app.ts';
import { createDataSource } from '../../shared/db/data-source.ts';
import { createRedis } from '../../shared/queue/redis.ts';
import { createSubmissionQueue } from '../../shared/queue/submission-queue.ts';
import { SubmissionWriter } from '../../shared/intake/submission-writer.ts';
import { createLogger, type Logger } from '../../shared/logger.ts';
import { testConfig } from '../helpers/config.ts';
import { createMailer } from '../../shared/mail/mailer.ts';

export interface BuildAppOptions {
  /** Receives every log line (JSON), at level `logLevel`. */
  logStream?: DestinationStream;
  logLevel?: string;
  /** `start --demo`'s mailer: the development outbox (and its pages) without a relay. */
  demo?: boolean;
  /** Configuration on top of testConfig(). */
  config?: Record<string, string>;
}

/** The real app object (not only its port), so a test can walk its router stack. */
export async function buildApp(opts: BuildAppOptions = {}): Promise<{ app: Express; url: string; log: Logger; close: () => Promise<void> }> {
  const config = testConfig(opts.config);
  const log = createLogger(opts.logLevel ?? config.LOG_LEVEL, {}, opts.logStream);
  const ds = createDataSource({ url: config.DATABASE_URL, poolSize: 4 });
  await ds.initialize();
  const redis = createRedis(config.REDIS_URL);
  const producer = createRedis(config.REDIS_URL, { failFast: true });
  const queue = createSubmissionQueue(producer, config.REDIS_PREFIX);
  const writer = new SubmissionWriter(ds, queue, log);
  const mailer = createMailer(config, { ds, log, demo: opts.demo });
  const app = createApp({ config, ds, redis, queue, writer, mailer, log });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address() as { port: number };
  return {
    app,
    log,
    url: `http://127.0.0.1:${addr.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await queue.close();
      // After the rate limiters' script loads (queued before this PING), not under them.
      await redis.ping().then(() => redis.quit()).catch(() => redis.disconnect());
      producer.disconnect();
      await ds.destroy();
    },
  };
}
