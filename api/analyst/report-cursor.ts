import { decodeKey, encodeKey } from '../lists/keyset.ts';

/**
 * The report list's keyset cursor: base64url of `<received_at with µs>|<id>` of a row, opaque to
 * clients (api/lists/keyset.ts, shared by every list). Decoding checks both halves fully (a real
 * instant, a real UUID), so a forged cursor is a 400 at the edge and never a cast error in Postgres.
 */
export function encodeReportCursor(ts: string, id: string): string {
  return encodeKey(ts, id);
}

/** [timestamp, id], or null when the cursor is not one this API handed out. */
export function decodeReportCursor(cursor: string): [string, string] | null {
  return decodeKey(cursor, 'uuid');
}
