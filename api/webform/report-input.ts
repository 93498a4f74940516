import { z } from 'zod';
import { CATEGORY_LABELS, ERRORS } from './report-form.text.ts';

/** The categories a reporter can choose (the SMTP side adds `abuse` and `feedback-loop`). */
export const REPORT_CATEGORIES = ['spam', 'phishing', 'malware', 'scam', 'other'] as const satisfies readonly (keyof typeof CATEGORY_LABELS)[];
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export const DESCRIPTION_MAX = 5000;

/**
 * The text fields of a report, shared by the HTML form and POST /v1/reports (and its OpenAPI
 * description). The form shows category labels, the JSON API the values: `audience` picks the message.
 */
export function reportFields(audience: 'form' | 'api') {
  return z.object({
    email: z.string({ error: ERRORS.emailMissing }).trim().min(1, ERRORS.emailMissing).max(254, ERRORS.emailTooLong)
      .pipe(z.email({ error: ERRORS.emailInvalid })),
    category: z.enum(REPORT_CATEGORIES, { error: audience === 'form' ? ERRORS.categoryForm : ERRORS.categoryApi }),
    // Stored in a text column: NUL is refused here rather than failing the intake batch it joins.
    description: z.string({ error: ERRORS.descriptionNotText }).trim().max(DESCRIPTION_MAX, ERRORS.descriptionTooLong(DESCRIPTION_MAX))
      .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, ERRORS.descriptionControls).optional(),
  });
}
const FIELDS = { form: reportFields('form'), api: reportFields('api') };

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
 */
export function validateReport(
  input: RawReport, maxBytes: number, audience: 'form' | 'api' = 'api',
): { ok: true; value: ValidReport } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const parsed = FIELDS[audience].safeParse({
    email: input.email,
    category: input.category,
    description: typeof input.description === 'string' && input.description.trim() === '' ? undefined : input.description,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof FieldErrors;
      errors[field] ??= issue.message;
    }
  }
  const raw = messageBytes(input, maxBytes, errors);
  if (!parsed.success || !raw) return { ok: false, errors };
  return {
    ok: true,
    value: { reporter: parsed.data.email.toLowerCase(), category: parsed.data.category, description: parsed.data.description ?? null, raw },
  };
}

function messageBytes(input: RawReport, maxBytes: number, errors: FieldErrors): Buffer | null {
  const file = input.file && input.file.length > 0 ? input.file : null;
  const source = typeof input.source === 'string' && input.source.trim() !== '' ? input.source : null;
  if (input.source !== undefined && input.source !== null && typeof input.source !== 'string') {
    errors.message = ERRORS.sourceNotText;
    return null;
  }
  if (file && source) {
    errors.message = ERRORS.both;
    return null;
  }
  if (!file && !source) {
    errors.message = ERRORS.none;
    return null;
  }
  const raw = file ?? Buffer.from(source!.replace(/^\s+/, '').replace(/\r\n|\r|\n/g, '\r\n'), 'utf8');
  if (raw.length > maxBytes) {
    errors.message = ERRORS.tooLarge(maxBytes);
    return null;
  }
  const head = raw.subarray(0, 8192);
  if (head.includes(0)) {
    errors.message = ERRORS.binary;
    return null;
  }
  if (!STARTS_LIKE_A_MESSAGE.test(head.toString('latin1'))) {
    errors.message = ERRORS.notAMessage;
    return null;
  }
  return raw;
}
