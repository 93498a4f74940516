/** SQLSTATE classes and socket errors that mean "Postgres is not there right now", not "bad input". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0)/;
const UNAVAILABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATE.test(e.code) || UNAVAILABLE_SOCKET.has(e.code))) return true;
  if (typeof e.message === 'string' && /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message)) return true;
  if (e.driverError && e.driverError !== err) return isDatabaseUnavailable(e.driverError);
  if (e.cause && e.cause !== err) return isDatabaseUnavailable(e.cause);
  return false;
}
