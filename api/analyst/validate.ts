import type { z } from 'zod';
import { validateInput, type Problem } from '../openapi/endpoint.ts';

/** Parses request input with a route's schema; a failure is a 400 naming each bad parameter. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what: Problem['in'] = 'query'): z.output<S> {
  return validateInput(schema, input, what);
}
