import { createHash, randomBytes } from 'node:crypto';

/**
 * Secrets handed to reporters: mailed single-use links and personal reporting addresses. Only their
 * SHA-256 is stored, so a database reader cannot confirm a report or mail as someone else. A fast
 * hash is right here: the secrets are 128–256 random bits, not passwords.
 */

/** A link token: 32 random bytes, base64url (43 characters). */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * An address token: 16 random bytes in lower-case base32 (26 characters). Lower case and no
 * punctuation because it travels in an address's local part, which MTAs may lower-case.
 */
export function newAddressToken(): string {
  const bytes = randomBytes(16);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export const ADDRESS_TOKEN = /^[a-z2-7]{26}$/;
