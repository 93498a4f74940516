/**
 * Email addresses as identities and as rate-limit keys. Normalised once, here, so the user table,
 * the login counters, reporter identities and every per-address budget agree on who is who.
 */

/**
 * A login / account key: Unicode NFKC, then lower case, trimmed. `vİctim@x` and `victim@x` are
 * different strings after this (İ lowers to i + a combining dot) and, because every lookup and
 * every counter uses this same function, different accounts — never a way around a counter.
 */
export function normalizeLogin(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/**
 * An address as an identity (distinct reporters, per-address limits): `normalizeLogin`, and the
 * local part's `+tag` removed, so `jo+1@x` and `jo+2@x` share one identity and one budget.
 * Returns null for something that is not `local@domain`.
 */
export function addressIdentity(email: string): string | null {
  const a = normalizeLogin(email);
  const at = a.lastIndexOf('@');
  if (at <= 0 || at === a.length - 1) return null;
  const plus = a.indexOf('+');
  let local = plus > 0 && plus < at ? a.slice(0, plus) : a.slice(0, at);
  let domain = a.slice(at + 1);
  // Gmail ignores dots in the local part and serves googlemail.com as gmail.com: j.o.e@gmail.com
  // and joe@googlemail.com reach one inbox, so they are one reporter — else one mailbox could
  // confirm itself as many "distinct" reporters and list an IP alone.
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
    if (!local) return null;
  }
  return `${local}@${domain}`;
}

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);
