import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { tenancySchema, type Tenancy } from './tenancy.schema.ts';

/** `tenants[0].domains[1]`: the path a person editing the file would look for. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(top level)';
}

function describe(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `${fieldPath(i.path)}: ${i.message}`);
}

/**
 * Parses a tenancy file's text. YAML is a superset of JSON, so one parser reads both.
 * Throws `AppError('validation_failed')` whose message lists every problem as `path: problem`.
 */
export function parseTenancy(text: string, source = 'tenancy file'): Tenancy {
  let data: unknown;
  try {
    // uniqueKeys: a key given twice is more likely a mistake than an override.
    data = parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (err) {
    throw new AppError('validation_failed', `${source}: not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = tenancySchema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = describe(parsed.error.issues);
    throw new AppError('validation_failed', `${source} is invalid:\n  ${problems.join('\n  ')}`, { problems });
  }
  return parsed.data;
}

/** Reads and parses a tenancy file from disk; a missing file is a validation error naming it. */
export function loadTenancyFile(path: string): Tenancy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AppError('validation_failed', `cannot read tenancy file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseTenancy(text, path);
}
