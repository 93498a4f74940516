import { z } from 'zod';
import { COUNT_BOUND } from '../../lists/bounded-count.ts';
import type { PageRequest } from '../../lists/keyset.ts';

/**
 * The UI's paging parameters, kept in the URL with the filters: `cursor` (the page after a row,
 * older), `before` (the page before a row, newer) and `page`, the page's number. With a cursor the
 * number is only a label; alone it is an offset jump (a page-number link), allowed as far as the
 * bounded count reaches, so an offset never walks more than COUNT_BOUND rows.
 */
export const PAGING_KEYS = ['cursor', 'before', 'page'] as const;

export const pagingFields = {
  cursor: z.string().max(300).optional(),
  before: z.string().max(300).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
};

export interface UiPaging {
  cursor?: string | undefined;
  before?: string | undefined;
  page?: number | undefined;
}

export interface UiPageRequest extends PageRequest {
  /** The page's number when known (1 for the first page). */
  number: number | null;
}

/** The furthest page a page-number link may jump to. */
export function lastJumpPage(limit: number): number {
  return Math.max(1, Math.ceil(COUNT_BOUND / limit));
}

export function pageRequest(p: UiPaging, limit: number): UiPageRequest {
  if (p.cursor) return { limit, after: p.cursor, number: p.page ?? null };
  if (p.before) return { limit, before: p.before, number: p.page ?? null };
  const number = Math.min(p.page ?? 1, lastJumpPage(limit));
  return { limit, offset: (number - 1) * limit, number };
}
