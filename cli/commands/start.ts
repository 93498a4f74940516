import { parseArgs } from 'node:util';
import { loadConfig } from '../../shared/config/load-config.ts';
import { createLogger } from '../../shared/logger.ts';
import { startService } from '../../runtime/start-service.ts';
import { badArgs } from '../main.ts';
import { seedDemo } from '../../runtime/seed-demo.ts';
import { demoSummary } from '../../runtime/demo-summary.ts';

/** Runs the service until SIGTERM/SIGINT, then drains and exits 0. */
export async function startCommand(args: string[]): Promise<number> {
  let demo = false;
  try {
    demo = Boolean(parseArgs({ args, options: { demo: { type: 'boolean' } } }).values.demo);
  } catch (err) {
    throw badArgs((err as Error).message);
  }
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const service = await startService(config, log, { demo });
  log.info({ roles: config.ROLES }, 'abuse-intake started');
  if (demo) {
    const created = await seedDemo(config, log);
    // For a person, on stdout: what runs where, the key and the login (the log lines are JSON).
    process.stdout.write(demoSummary({ config, httpPort: service.httpPort, smtpPort: service.smtpPort, mail: service.mail, created }));
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'draining');
      const force = setTimeout(() => {
        log.error('drain took longer than 30 s; exiting');
        resolve(1);
      }, 30_000);
      force.unref();
      service.stop().then(
        () => {
          clearTimeout(force);
          log.info('stopped');
          resolve(0);
        },
        (err) => {
          log.error({ err }, 'stop failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
