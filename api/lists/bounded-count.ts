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
  /**
   * Which plan the count must use when the caller knows better than the planner (see below):
   * `bitmap` (only bitmap scans: filters ORed over two indexes), `index` (no sequential scan: every
   * filter has an index). @defaultValue the planner's choice
   */
  steer?: 'bitmap' | 'index';
}

/**
 * Why steer: "read until bound + 1 rows match" is costed as if matches were spread evenly, so
 * for a frequent value the planner picks a sequential scan (or a filtered walk of another index)
 * expecting to stop early. Real matches cluster — a spam run is one recent stretch of the table —
 * and that scan then reads most of it (350 ms at 1M reports for an IP with 10% of them, all in
 * the last tenth). A bitmap scan costs what the matches cost, wherever they are.
 */
const STEER = {
  bitmap: ['enable_seqscan', 'enable_indexscan', 'enable_indexonlyscan'],
  index: ['enable_seqscan'],
} as const;

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
    // SET LOCAL: every setting ends with this transaction and never leaks into the pooled connection.
    // No JIT: compiling costs more than a bounded count, and steering inflates the costs it looks at.
    await runner.query(`SET LOCAL statement_timeout = ${budget}`);
    await runner.query(`SET LOCAL jit = off`);
    for (const setting of opts.steer ? STEER[opts.steer] : []) await runner.query(`SET LOCAL ${setting} = off`);
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
