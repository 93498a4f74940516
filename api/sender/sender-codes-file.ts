import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../shared/errors/app-error.ts';
import { PACKAGE_ROOT } from '../../shared/package-root.ts';
import { BASIC_PATTERN, ENHANCED_PATTERN } from '../../shared/sender/match-code.ts';
import { fieldPath } from '../../shared/tenancy/parse-tenancy.ts';

/** The explanations shipped as an example; SENDER_CODES_FILE replaces them (start from a copy). */
export const DEFAULT_SENDER_CODES_FILE = join(PACKAGE_ROOT, 'examples', 'sender-codes.yaml');

/** A text in every language of the public pages (api/web/i18n/languages.ts). */
const text = z.string().trim().min(1, 'write the text');
const localized = z.strictObject({ en: text, it: text });

const entry = z.strictObject({
  code: z
    .string()
    .trim()
    .refine((c) => ENHANCED_PATTERN.test(c) || BASIC_PATTERN.test(c), 'a status code like 5.7.1, a pattern like 5.7.6xx or 4.x.x, or a reply code like 550 or 5xx'),
  /** The reply text must contain one of these words (any case): `spf`, `dmarc`, `relay`… */
  contains: z.array(z.string().trim().min(1)).min(1).optional(),
  /** Our own blocklist's code: the page adds the listing of the IP the reply names, and the delist link. */
  listing: z.boolean().default(false),
  title: localized,
  meaning: localized,
  action: localized,
});

export const senderCodesSchema = z.strictObject({ codes: z.array(entry).min(1, 'list at least one code') }).superRefine((file, ctx) => {
  const seen = new Map<string, number>();
  file.codes.forEach((c, i) => {
    const key = `${c.code}|${(c.contains ?? []).map((w) => w.toLowerCase()).sort().join(',')}`;
    const first = seen.get(key);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['codes', i, 'code'], message: `same code and words as codes[${first}]` });
    else seen.set(key, i);
  });
});

export type SenderCode = z.output<typeof entry>;

/**
 * Reads and validates the codes file once, at start. Every problem is named by file, line and field
 * (`sender-codes.yaml:42 codes[3].meaning.it: write the text`), so an operator can fix it at once;
 * the service does not start with a broken file.
 */
export function loadSenderCodes(path: string = DEFAULT_SENDER_CODES_FILE): SenderCode[] {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AppError('config_invalid', `SENDER_CODES_FILE: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseSenderCodes(source, path);
}

export function parseSenderCodes(source: string, path: string): SenderCode[] {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new AppError('config_invalid', `SENDER_CODES_FILE ${path}:${lines.linePos(e.pos[0]).line}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const parsed = senderCodesSchema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? {});
  if (parsed.success) return parsed.data.codes;
  const problems = parsed.error.issues.map((issue) => {
    // The line of the field, or of the nearest thing above it that is in the file (a missing field: its entry).
    let line = 1;
    for (let n = issue.path.length; n >= 0; n--) {
      const node = doc.getIn(issue.path.slice(0, n) as (string | number)[], true);
      if (isNode(node) && node.range) {
        line = lines.linePos(node.range[0]).line;
        break;
      }
    }
    return `${path}:${line} ${fieldPath(issue.path)}: ${issue.message}`;
  });
  throw new AppError('config_invalid', `SENDER_CODES_FILE is invalid:\n  ${problems.join('\n  ')}`, { problems });
}
