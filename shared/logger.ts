import { pino, type Logger } from 'pino';

export type { Logger };

/** One JSON logger per process; children carry the role (`api`, `worker`, …). */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { service: 'abuse-intake', ...base } });
}
