import { readFileSync } from 'node:fs';
import { configSchema, type Config } from './config.schema.ts';
import { AppError } from '../errors/app-error.ts';

/**
 * Reads `X_FILE` variants (Docker/Kubernetes secrets) into `X`, so a secret never has
 * to sit in the environment itself. `X` wins when both are set.
 */
function resolveFileVariants(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(env)) {
    if (!name.endsWith('_FILE') || value === undefined) continue;
    const target = name.slice(0, -'_FILE'.length);
    // Only our own variables: the environment holds other tools' *_FILE settings too.
    if (!(target in configSchema.shape) || name in configSchema.shape || out[target] !== undefined) continue;
    try {
      out[target] = readFileSync(value, 'utf8').trim();
    } catch (err) {
      throw new AppError('config_invalid', `${name}: cannot read ${value}: ${(err as Error).message}`, { variable: name });
    }
  }
  return out;
}

/** Parses and freezes the configuration; throws `AppError('config_invalid')` naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = resolveFileVariants(env);
  // Empty strings mean "unset", as in most shells' `VAR= cmd`.
  for (const key of Object.keys(raw)) if (raw[key] === '') delete raw[key];
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new AppError('config_invalid', `invalid configuration:\n  ${problems.join('\n  ')}`, { problems });
  }
  return Object.freeze(parsed.data);
}
