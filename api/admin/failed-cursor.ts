import { z } from 'zod';
import { AppError } from '../../shared/errors/app-error.ts';

/** Postgres' own text form of a timestamptz, e.g. `2026-11-27 12:00:00.123456+00`. */
const PG_TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/;
const cursorShape = z.object({ at: z.string().regex(PG_TIMESTAMP), id: z.string().uuid() });

/**
 * An opaque page cursor: base64url of the last row's failure time and id. The time is Postgres'
 * text with microseconds — a JS Date keeps milliseconds only and the next page would skip rows.
 */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify({ at, id })).toString('base64url');
}

/** Whether Postgres can read it: the shape is not enough (month 13, day 32, year 0 pass the pattern). */
function realInstant(at: string): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)/.exec(at);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return y >= 1 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi;
}

/** True for a cursor this API could have handed out (checked at the edge). */
export function isFailedCursor(cursor: string): boolean {
  try {
    decodeCursor(cursor);
    return true;
  } catch {
    return false;
  }
}

export function decodeCursor(cursor: string): { at: string; id: string } {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('validation_failed', 'cursor is not one this API handed out');
  }
  const parsed = cursorShape.safeParse(value);
  if (!parsed.success || !realInstant(parsed.data.at)) throw new AppError('validation_failed', 'cursor is not one this API handed out');
  return parsed.data;
}
