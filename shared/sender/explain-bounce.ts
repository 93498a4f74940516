import type { BounceFinding } from './bounce-finding.ts';

/** One code found in a bounce, with what the operator's file says about it. */
export interface ExplainedCode<E> {
  /** The code as the sender sees it: the enhanced status code, else the basic reply code. */
  code: string;
  status: string | null;
  reply: string | null;
  /** The matching explanation, or null when the file has none for this code. */
  entry: E | null;
  /** The reply lines that carried the code (at most MAX_LINES_PER_CODE). */
  replies: string[];
  /** IP addresses those replies name, in order. */
  ips: string[];
}

export const MAX_LINES_PER_CODE = 3;

/**
 * Groups the findings by code — a bounce quotes one reply in its report, its text and its summary —
 * and attaches each code's explanation. Order: as first found. Pure.
 */
export function explainFindings<E>(findings: readonly BounceFinding[], match: (f: BounceFinding) => E | null): ExplainedCode<E>[] {
  const groups = new Map<string, ExplainedCode<E>>();
  for (const f of findings) {
    const code = f.status ?? f.reply ?? '';
    if (!code) continue;
    let g = groups.get(code);
    if (!g) groups.set(code, (g = { code, status: f.status, reply: f.reply, entry: match(f), replies: [], ips: [] }));
    if (!g.reply && f.reply) g.reply = f.reply;
    // A reply that is only the code (a `Status:` line) adds nothing to one that has words.
    if (f.text && f.text !== code && g.replies.length < MAX_LINES_PER_CODE && !g.replies.includes(f.text)) g.replies.push(f.text);
    // A later line of the same code may match where the first did not (its text names SPF, say).
    g.entry ??= match(f);
    if (f.ip && !g.ips.includes(f.ip)) g.ips.push(f.ip);
  }
  return [...groups.values()];
}
