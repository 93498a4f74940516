/**
 * Every error code the service raises, with the HTTP status it maps to. Documented in docs/errors.md.
 * Workers never see the statuses: they classify by `retryable` instead.
 */
export const ERROR_CODES = {
  config_invalid: { status: 500, retryable: false },
  bad_request: { status: 400, retryable: false },
  validation_failed: { status: 400, retryable: false },
  empty_body: { status: 400, retryable: false },
  unauthenticated: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  not_found: { status: 404, retryable: false },
  conflict: { status: 409, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  length_required: { status: 411, retryable: false },
  unsupported_media_type: { status: 415, retryable: false },
  rate_limited: { status: 429, retryable: true },
  unparseable_message: { status: 422, retryable: false },
  store_unavailable: { status: 503, retryable: true },
  overloaded: { status: 503, retryable: true },
  mail_unavailable: { status: 503, retryable: true },
  internal: { status: 500, retryable: true },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;
