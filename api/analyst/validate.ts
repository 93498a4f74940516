import type { z } from 'zod';
import { AppError } from '../../shared/errors/app-error.ts';

/** Parses request input with a route's schema; a failure is a 400 naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = 'query'): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => ({ field: i.path.join('.') || what, message: i.message }));
  throw new AppError('validation_failed', `invalid ${what}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
    problems,
  });
}
