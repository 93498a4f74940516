import { z } from 'zod';
import { translator } from '../web/i18n/catalog.ts';
import type { Language } from '../web/i18n/languages.ts';
import { REPORT_CATEGORIES, sizeInWords, type ReportCategory } from './report-words.ts';

export { REPORT_CATEGORIES, type ReportCategory } from './report-words.ts';

export const DESCRIPTION_MAX = 5000;

/** What can be wrong with a report; each is a key under `errors.` in the `report` translations. */
export const REPORT_ERROR_CODES = [
  'emailMissing', 'emailTooLong', 'emailInvalid', 'category', 'descriptionNotText', 'descriptionTooLong', 'descriptionControls', 'invalid',
  'sourceNotText', 'both', 'none', 'tooLarge', 'binary', 'notAMessage', 'wrongFileType',
] as const;
export type ReportErrorCode = (typeof REPORT_ERROR_CODES)[number];

/**
 * The text fields of a report, shared by the HTML form and POST /v1/reports (and its OpenAPI
 * description). Each rule's message is a ReportErrorCode, worded per language by reportErrorText.
 */
export function reportFields() {
  return z.object({
    email: z.string({ error: 'emailMissing' }).trim().min(1, 'emailMissing').max(254, 'emailTooLong')
      .pipe(z.email({ error: 'emailInvalid' })),
    category: z.enum(REPORT_CATEGORIES, { error: 'category' }),
    // Stored in a text column: NUL is refused here rather than failing the intake batch it joins.
    description: z.string({ error: 'descriptionNotText' }).trim().max(DESCRIPTION_MAX, 'descriptionTooLong')
      .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'descriptionControls').optional(),
  });
}
const FIELDS = reportFields();

/**
 * An error in words. The form speaks the visitor's language and lists the category labels people
 * chose from; the JSON API is not localised (`audience: 'api'`, English) and names the values it takes.
 */
export function reportErrorText(code: ReportErrorCode, maxBytes: number, audience: 'form' | 'api', lang: Language): string {
  const t = translator(audience === 'api' ? 'en' : lang, 'report');
  switch (code) {
    case 'category':
      return t('errors.category', { choices: (audience === 'form' ? REPORT_CATEGORIES.map((c) => t(`categories.${c}`)) : REPORT_CATEGORIES).join(', ') });
    case 'descriptionTooLong':
      return t('errors.descriptionTooLong', { max: DESCRIPTION_MAX });
    case 'tooLarge':
      return t('errors.tooLarge', { size: sizeInWords(maxBytes, audience === 'api' ? 'en' : lang) });
    default:
      return t(`errors.${code}`);
  }
}

const isErrorCode = (m: string): m is ReportErrorCode => (REPORT_ERROR_CODES as readonly string[]).includes(m);

/** What a channel hands over before validation; every field is untrusted. */
export interface RawReport {
  email?: unknown;
  category?: unknown;
  description?: unknown;
  /** The uploaded .eml (multipart) or decoded `messageBase64` (JSON). */
  file?: Buffer | null;
  /** Pasted headers or source (text). */
  source?: unknown;
}

export interface ValidReport {
  reporter: string;
  category: ReportCategory;
  description: string | null;
  raw: Buffer;
}

export type FieldErrors = Partial<Record<'email' | 'category' | 'description' | 'message', string>>;

/** A header field line (RFC 5322 §2.2: printable ASCII name but `:`, then `:`), or an mbox `From ` line. */
const STARTS_LIKE_A_MESSAGE = /^(?:From |[\x21-\x39\x3b-\x7e]+:)/;

/**
 * Validates a report. Exactly one of `file` and `source` must carry the message; pasted text is
 * CRLF-normalised (it is stored as the raw message, and headers-only text is a message too).
 * The messages are for `audience` in `lang` (reportErrorText).
 */
export function validateReport(
  input: RawReport, maxBytes: number, audience: 'form' | 'api' = 'api', lang: Language = 'en',
): { ok: true; value: ValidReport } | { ok: false; errors: FieldErrors } {
  const codes: Partial<Record<keyof FieldErrors, ReportErrorCode>> = {};
  const parsed = FIELDS.safeParse({
    email: input.email,
    category: input.category,
    description: typeof input.description === 'string' && input.description.trim() === '' ? undefined : input.description,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof FieldErrors;
      codes[field] ??= isErrorCode(issue.message) ? issue.message : 'invalid';
    }
  }
  const raw = messageBytes(input, maxBytes);
  if (!Buffer.isBuffer(raw)) codes.message = raw;
  if (!parsed.success || !Buffer.isBuffer(raw)) {
    const errors: FieldErrors = {};
    for (const [field, code] of Object.entries(codes) as [keyof FieldErrors, ReportErrorCode][]) errors[field] = reportErrorText(code, maxBytes, audience, lang);
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: { reporter: parsed.data.email.toLowerCase(), category: parsed.data.category, description: parsed.data.description ?? null, raw },
  };
}

/** The message's bytes, or what is wrong with them. */
function messageBytes(input: RawReport, maxBytes: number): Buffer | ReportErrorCode {
  const file = input.file && input.file.length > 0 ? input.file : null;
  const source = typeof input.source === 'string' && input.source.trim() !== '' ? input.source : null;
  if (input.source !== undefined && input.source !== null && typeof input.source !== 'string') return 'sourceNotText';
  if (file && source) return 'both';
  if (!file && !source) return 'none';
  const raw = file ?? Buffer.from(source!.replace(/^\s+/, '').replace(/\r\n|\r|\n/g, '\r\n'), 'utf8');
  if (raw.length > maxBytes) return 'tooLarge';
  const head = raw.subarray(0, 8192);
  if (head.includes(0)) return 'binary';
  if (!STARTS_LIKE_A_MESSAGE.test(head.toString('latin1'))) return 'notAMessage';
  return raw;
}
