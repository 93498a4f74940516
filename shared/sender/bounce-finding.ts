/** What the sender portal found in a bounce: one rejection, as the rejecting server wrote it. */
export interface BounceFinding {
  /** The enhanced status code (RFC 3463), e.g. `5.7.606`, or null when the reply had only a basic code. */
  status: string | null;
  /** The basic SMTP reply code (RFC 5321), e.g. `550`, when one was found. */
  reply: string | null;
  /** The reply text from the code on (bounded, one line). */
  text: string;
  /** The first IP address the reply text names (our own `5.7.606` line names the rejected sending IP). */
  ip: string | null;
  /** Where it was found: a message/delivery-status part, or the text (of the message, or pasted). */
  source: 'delivery-status' | 'text';
}

/** Longest reply text kept per finding. */
export const MAX_REPLY_TEXT = 500;
/** Findings kept per bounce: a bounce listing hundreds of recipients says the same thing for each. */
export const MAX_FINDINGS = 10;

const sameCodes = (a: BounceFinding, b: BounceFinding) => a.status === b.status && a.reply === b.reply && a.ip === b.ip;

/**
 * Appends the findings not yet in `into`, up to MAX_FINDINGS; returns `into`. A reply quoted twice,
 * once cut short ("550 5.1.10" in a summary, the full line below), is kept once, in its longer form.
 */
export function mergeFindings(into: BounceFinding[], more: readonly BounceFinding[]): BounceFinding[] {
  for (const f of more) {
    const text = f.text.toLowerCase();
    const twin = into.findIndex((g) => sameCodes(f, g) && (g.text.toLowerCase().startsWith(text) || text.startsWith(g.text.toLowerCase())));
    if (twin >= 0) {
      if (f.text.length > into[twin]!.text.length) into[twin] = { ...f, source: into[twin]!.source };
      continue;
    }
    if (into.length < MAX_FINDINGS) into.push(f);
  }
  return into;
}
