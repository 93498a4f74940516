import { ADDRESS_TOKEN } from './tokens.ts';

/**
 * Personal reporting addresses: `report+TOKEN@<domain of an intake address>`. Mail to one is
 * `verified` as the reporter who confirmed the address the token was issued to (docs/reputation.md).
 */
export const PERSONAL_LOCAL_PART = 'report';

export function personalAddress(token: string, domain: string): string {
  return `${PERSONAL_LOCAL_PART}+${token}@${domain}`;
}

/** The domains of the intake addresses: where a personal address is accepted. */
export function intakeDomains(addresses: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const a of addresses) out.add(a.slice(a.lastIndexOf('@') + 1).toLowerCase());
  return out;
}

export type PersonalRecipient = { kind: 'personal'; token: string } | { kind: 'malformed' } | null;

/**
 * Reads a recipient as a personal address: `{personal, token}` for `report+<26 base32>@<intake
 * domain>`, `malformed` for another `report+…@<intake domain>` (refused, never a relay), null when
 * the recipient is not of that form at all.
 */
export function parsePersonalRecipient(recipient: string, domains: ReadonlySet<string>): PersonalRecipient {
  const a = recipient.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  if (at < 0 || !domains.has(a.slice(at + 1))) return null;
  const local = a.slice(0, at);
  const prefix = `${PERSONAL_LOCAL_PART}+`;
  if (!local.startsWith(prefix)) return null;
  const token = local.slice(prefix.length);
  return ADDRESS_TOKEN.test(token) ? { kind: 'personal', token } : { kind: 'malformed' };
}

/**
 * The recipient as we record it (envelope, our Received header): the token is a secret, so a
 * personal address is kept as `report+redacted@domain`; who it belonged to is the submission's identity.
 */
export function redactRecipient(recipient: string, domains: ReadonlySet<string>): string {
  const p = parsePersonalRecipient(recipient, domains);
  if (!p) return recipient;
  const a = recipient.trim().toLowerCase();
  return `${PERSONAL_LOCAL_PART}+redacted${a.slice(a.lastIndexOf('@'))}`;
}
