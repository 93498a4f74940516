import { MAX_AUTH_CHARS } from './limits.ts';

/**
 * Read what a hop says about authenticated submission, or null.
 * - the `with` protocol: ESMTPA, ESMTPSA, LMTPSA, UTF8SMTPSA, asmtp (RFC 3848 "A" suffix) and webmail HTTP/HTTPU
 * - a comment: `(Authenticated sender: x)` (Postfix), `(authenticated bits=0)` / `(authenticated as x)` (Sendmail,
 *   Critical Path), `(AUTH: LOGIN x, …)` (Courier and others), `(SquirrelMail authenticated user x)`
 * - Exchange: the word `authenticated` anywhere in a "Microsoft SMTP Server" hop
 */
export function readAuth(protocol: string | null, comments: readonly string[], exchange: boolean, text: string): string | null {
  if (protocol !== null && isAuthProtocol(protocol)) return protocol;
  for (const c of comments) {
    const lower = c.toLowerCase();
    if (lower.startsWith('authenticated') || lower.startsWith('auth:')) return bounded(firstPart(c));
    if (lower.includes(' authenticated user ')) return bounded(c);
  }
  if (exchange && /\bauthenticated\b/i.test(text)) return 'authenticated';
  return null;
}

function isAuthProtocol(p: string): boolean {
  const lower = p.toLowerCase();
  if (lower === 'asmtp' || lower.startsWith('http')) return true;
  // RFC 3848: ESMTPA, ESMTPSA, LMTPA, LMTPSA, UTF8SMTPA, UTF8SMTPSA
  return /^(?:utf8smtp|esmtp|lmtp)s?a$/.test(lower);
}

/** `AUTH: LOGIN x, SSL: …` → `AUTH: LOGIN x`. */
function firstPart(c: string): string {
  const comma = c.indexOf(',');
  return comma > 0 ? c.slice(0, comma) : c;
}

function bounded(s: string): string {
  return s.length > MAX_AUTH_CHARS ? s.slice(0, MAX_AUTH_CHARS) : s;
}
