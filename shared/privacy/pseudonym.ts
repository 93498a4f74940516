import { createHmac } from 'node:crypto';

/** Pseudonyms carry this prefix, so a second run never hashes a hash. */
export const PSEUDONYM_PREFIX = 'pseud:';

export function isPseudonym(value: string): boolean {
  return value.startsWith(PSEUDONYM_PREFIX);
}

/** `pseud:` + HMAC-SHA256(key, lower-cased address), hex. Stable for one key: counts of distinct reporters survive. */
export function pseudonymise(key: Buffer, value: string): string {
  if (value.startsWith(PSEUDONYM_PREFIX)) return value;
  return PSEUDONYM_PREFIX + createHmac('sha256', key).update(value.trim().toLowerCase()).digest('hex');
}
