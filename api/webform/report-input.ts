import { z } from 'zod';

/** The categories a reporter can choose (the SMTP side adds `abuse` and `feedback-loop`). */
export const REPORT_CATEGORIES = ['spam', 'phishing', 'malware', 'scam', 'other'] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export const DESCRIPTION_MAX = 5000;

/** The text fields of a report, shared by the HTML form and POST /v1/reports. */
const fieldsSchema = z.object({
  email: z.string({ error: 'enter your email address' }).trim().min(1, 'enter your email address').max(254, 'at most 254 characters')
    .pipe(z.email({ error: 'enter a valid email address' })),
  category: z.enum(REPORT_CATEGORIES, { error: `choose one of: ${REPORT_CATEGORIES.join(', ')}` }),
  description: z.string({ error: 'must be text' }).trim().max(DESCRIPTION_MAX, `at most ${DESCRIPTION_MAX} characters`).optional(),
});

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
export function validateReport(input: RawReport, maxBytes: number): { ok: true; value: ValidReport } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const parsed = fieldsSchema.safeParse({
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
    errors.message = 'the pasted message must be text';
    return null;
  }
  if (file && source) {
    errors.message = 'upload a file or paste the message, not both';
    return null;
  }
  if (!file && !source) {
    errors.message = 'upload the .eml file or paste the message headers';
    return null;
  }
  const raw = file ?? Buffer.from(source!.replace(/^\s+/, '').replace(/\r\n|\r|\n/g, '\r\n'), 'utf8');
  if (raw.length > maxBytes) {
    errors.message = `the message is larger than ${maxBytes} bytes`;
    return null;
  }
  const head = raw.subarray(0, 8192);
  if (head.includes(0)) {
    errors.message = 'this is not a message: it contains binary data';
    return null;
  }
  if (!STARTS_LIKE_A_MESSAGE.test(head.toString('latin1'))) {
    errors.message = 'this does not look like a message: it must start with a header line such as "Received: …" or "From: …"';
    return null;
  }
  return raw;
}
