/** Facts format detection looks at, gathered by parseReceived. */
export interface FormatFacts {
  /** The cleaned header value, lower-cased. */
  lower: string;
  by: string | null;
  hasFrom: boolean;
  /** The from-clause had qmail's `(HELO x) (ip)` / `name (ip)` shape. */
  qmailStyle: boolean;
}

/**
 * Name the MTA family that wrote a Received header, from its signature: the software comment in the
 * by-clause (`(Postfix)`, `(Exim 4.x)`, `(MDaemon …)`, `(8.12.10/8.12.10)`), the receiving host (Gmail,
 * Yahoo), or the from-clause shape (qmail). Used for the evidence trail and for per-MTA conventions;
 * unrecognised headers are `generic`. Checks are substring tests, so linear.
 */
export function detectFormat(f: FormatFacts): string {
  const s = f.lower;
  const by = f.by ?? '';
  if (s.includes('microsoft smtp') || s.includes('with mapi')) return 'exchange';
  if (by === 'mx.google.com' || by.endsWith('.google.com') || by.endsWith('.gmail.com') || by === 'smtp.gmail.com' || (!f.hasFrom && by.startsWith('2002:'))) return 'gmail';
  if (by.includes('.yahoo.') || s.includes(' with nnfmp')) return 'yahoo';
  if (s.includes('(postfix')) return 'postfix';
  if (s.includes('(exim ') || s.includes('exim)')) return 'exim';
  if (s.includes('mdaemon')) return 'mdaemon';
  if (s.includes('qmail') || f.qmailStyle) return 'qmail';
  if (s.includes('communigate')) return 'communigate';
  if (s.includes('amavisd')) return 'amavis';
  if (s.includes('courier') || s.includes('softdnserr') || s.includes('(auth: ') || hasCourierId(s)) return 'courier';
  if (s.includes('sendmail') || s.includes('(authenticated bits=') || s.includes('(v8/cf)') || hasSendmailVersion(s)) return 'sendmail';
  return 'generic';
}

/** Courier ids look like `id 0EFECD4E.4D02EDD9.0000C5BA` (three 8-hex-digit groups). */
function hasCourierId(s: string): boolean {
  return /\bid [0-9a-f]{8}\.[0-9a-f]{8}\.[0-9a-f]{8}\b/.test(s);
}

/** Sendmail's by-comment `(8.12.10/8.12.10)`: version/config version. */
function hasSendmailVersion(s: string): boolean {
  return /\(\d{1,2}\.\d{1,2}\.\d{1,2}[a-z0-9.+-]{0,20}\/[a-z0-9.+-]{1,40}[^)]{0,40}\)/.test(s);
}
