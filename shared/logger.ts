import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Keys of a database error that carry request data: TypeORM's `parameters` (every bind value —
 * reporter addresses, raw messages, whatever a caller sent), Postgres' `detail` (`Key (email)=(…)`),
 * `where` and `internalQuery`. Never logged: the SQL text and the error code say what failed.
 */
const DATA_KEYS = ['parameters', 'detail', 'where', 'internalQuery'];

/** Postgres data exceptions (class 22: invalid input syntax, out of range…) quote the offending value. */
const quotedValues = (s: string) => s.replace(/"(?:[^"\\]|\\.)*"/g, '"[redacted]"');

function scrub(e: Record<string, unknown>, dataException: boolean): void {
  for (const k of DATA_KEYS) delete e[k];
  if (dataException) {
    if (typeof e.message === 'string') e.message = quotedValues(e.message);
    if (typeof e.stack === 'string') e.stack = quotedValues(e.stack);
  }
  if (e.driverError && typeof e.driverError === 'object') scrub(e.driverError as Record<string, unknown>, dataException);
}

/** pino's error serializer, minus every bind parameter and quoted value of a database error. */
export function safeErrorSerializer(err: unknown): unknown {
  const out = stdSerializers.err(err as Error) as unknown;
  if (!out || typeof out !== 'object') return out;
  const e = out as Record<string, unknown>;
  const code = typeof e.code === 'string' ? e.code : (e.driverError as { code?: unknown } | undefined)?.code;
  scrub(e, typeof code === 'string' && code.startsWith('22'));
  return e;
}

/**
 * One JSON logger per process; children carry the role (`api`, `worker`, …). `destination` is for
 * tests that read what was logged.
 */
export function createLogger(level: string, base: Record<string, unknown> = {}, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'abuse-intake', ...base }, serializers: { err: safeErrorSerializer, error: safeErrorSerializer } };
  return destination ? pino(options, destination) : pino(options);
}
