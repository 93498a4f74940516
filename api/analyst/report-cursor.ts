/**
 * The report list's keyset cursor: base64url of `<received_at with µs>|<id>` of the last row,
 * opaque to clients. Decoding checks both halves fully (a real instant, a real UUID), so a forged
 * cursor is a 400 at the edge and never a cast error in Postgres.
 */
const SHAPE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function encodeReportCursor(ts: string, id: string): string {
  return Buffer.from(`${ts}|${id}`).toString('base64url');
}

/** [timestamp, id], or null when the cursor is not one this API handed out. */
export function decodeReportCursor(cursor: string): [string, string] | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const m = SHAPE.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) return null;
  const ts = m[1]!;
  // The calendar check: Date normalises 2026-02-31 to March, so compare the round trip.
  const ms = Date.parse(ts);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 19) !== ts.slice(0, 19) || ts.startsWith('0000')) return null;
  return [ts, m[2]!];
}
