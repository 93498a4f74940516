import { createHash, randomBytes } from 'node:crypto';

/** How long a tenant response link works. */
export const RESPONSE_TOKEN_DAYS = 30;

/** A response-page token: 256 random bits; only its SHA-256 is stored. */
export function newResponseToken(now: Date = new Date()): { token: string; hash: string; expiresAt: Date } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashResponseToken(token), expiresAt: new Date(now.getTime() + RESPONSE_TOKEN_DAYS * 86_400_000) };
}

export function hashResponseToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Shape check before any lookup: 43 base64url characters. */
export function isResponseToken(s: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(s);
}
