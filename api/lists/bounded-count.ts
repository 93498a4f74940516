import type { DataSource } from 'typeorm';

/** Lists count exactly up to this many rows, then say "more than". */
export const COUNT_BOUND = 10_000;

/**
 * How long a count may take before the page gives up on it (and says so). The list itself is
 * what the analyst came for; a count is a courtesy that must never make the page slow.
 */
export const COUNT_BUDGET_MS = 250;

export interface BoundedCount {
  /** Exact when `more` is false; otherwise the bound. */
  count: number;
  /** True when more than `count` rows match. */
  more: boolean;
}

export interface CountOptions {
  /** @defaultValue COUNT_BOUND */
  bound?: number;
  /** @defaultValue COUNT_BUDGET_MS */
  budgetMs?: number;
}

/**
 * `SELECT count(*) FROM (SELECT 1 FROM <from> LIMIT bound + 1)`: reads at most bound + 1 rows
 * through whatever index serves the filters, so its cost is bounded however many rows match.
 * `from` is trusted SQL (a table and a WHERE built from bind parameters `params`). Answers null
 * when the statement ran past the budget (a filter no index serves and few rows match).
 */
export async function boundedCount(ds: DataSource, from: string, params: unknown[], opts: CountOptions = {}): Promise<BoundedCount | null> {
  const bound = opts.bound ?? COUNT_BOUND;
  const budget = Math.max(1, Math.round(opts.budgetMs ?? COUNT_BUDGET_MS));
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    // SET LOCAL: the budget ends with this transaction and never leaks into the pooled connection.
    await runner.query(`SET LOCAL statement_timeout = ${budget}`);
    const [row]: { n: number }[] = await runner.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${from} LIMIT ${bound + 1}) bounded`, params);
    await runner.commitTransaction();
    const n = row?.n ?? 0;
    return n > bound ? { count: bound, more: true } : { count: n, more: false };
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    if ((err as { code?: string }).code === '57014') return null; // query_canceled: over budget
    throw err;
  } finally {
    await runner.release();
  }
}

/** "1 report", "1,234 reports", "more than 10,000 reports", or a plain word when the count ran out of time. */
export function countText(c: BoundedCount | null, one: string, many: string): string {
  if (!c) return `too many ${many} to count quickly`;
  const n = c.count.toLocaleString('en-US');
  if (c.more) return `more than ${n} ${many}`;
  return `${n} ${c.count === 1 ? one : many}`;
}
