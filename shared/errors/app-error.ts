import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

/** The one error type of the service: a documented code, a message a user can act on, and details. */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
