import { createPublicKey } from 'node:crypto';

/**
 * The DKIM TXT record for a tenancy file's `publicKey`, which may be written three ways: the whole
 * record (`v=DKIM1; k=rsa; p=…`), the bare base64 `p=` value (RSA), or a PEM public key.
 * Ed25519 PEM keys become the raw 32-byte key RFC 8463 puts in `p=`.
 */
export function dkimKeyRecord(publicKey: string): string {
  const text = publicKey.trim();
  if (/(^|;)\s*p\s*=/i.test(text)) return text;
  if (!text.startsWith('-----BEGIN')) return `v=DKIM1; k=rsa; p=${text.replace(/\s+/g, '')}`;
  const key = createPublicKey(text);
  const der = key.export({ type: 'spki', format: 'der' });
  if (key.asymmetricKeyType === 'ed25519') return `v=DKIM1; k=ed25519; p=${der.subarray(der.length - 32).toString('base64')}`;
  return `v=DKIM1; k=rsa; p=${der.toString('base64')}`;
}
