/**
 * TypeORM's Postgres driver answers an UPDATE or DELETE … RETURNING with `[rows, rowCount]`, but
 * a SELECT or INSERT … RETURNING with the rows alone: this takes the rows in both cases.
 */
export function returningRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
