import { tokenize, type Token } from './tokenize.ts';

/** The top-level clauses of a Received value (RFC 5321 §4.4 `from … by … via … with … id … for …; date`). */
export interface Clauses {
  /** Tokens after `from` (or inside a leading `(from …)` comment). */
  from: Token[];
  by: Token[];
  via: Token[];
  with: Token[];
  id: Token[];
  for: Token[];
  /** A second `from` after `by`: XMail's `from <envelope sender>`. */
  envFrom: Token[];
  /** Tokens after the last top-level `;` (the date, sometimes followed by a Courier `id`). */
  date: Token[];
  /** Every top-level comment, in order (auth and envelope-from notes can sit anywhere, even after the date). */
  comments: string[];
  /** True when the value has a `from` clause at all. */
  hasFrom: boolean;
}

type ClauseName = 'from' | 'by' | 'via' | 'with' | 'id' | 'for';
const KEYWORDS: ReadonlySet<string> = new Set(['from', 'by', 'via', 'with', 'id', 'for']);

/**
 * Group tokens into clauses. Only the first occurrence of a clause counts (qmail-scanner writes a second
 * `by uid 502`); clause keywords are case-insensitive (`FROM … BY … ID`). The date is whatever follows the
 * last top-level `;` — earlier semicolons (SquirrelMail's `(…); by host`) do not end the clauses.
 */
export function splitClauses(tokens: Token[]): Clauses {
  const out: Clauses = { from: [], by: [], via: [], with: [], id: [], for: [], envFrom: [], date: [], comments: [], hasFrom: false };
  let lastSemi = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'semi') lastSemi = i;
    else if (t.kind === 'comment') out.comments.push(t.text);
  }
  const end = lastSemi >= 0 ? lastSemi : tokens.length;
  if (lastSemi >= 0) out.date = tokens.slice(lastSemi + 1);

  let start = 0;
  const seen = new Set<ClauseName>();
  // Some MTAs wrap the whole from-clause in a comment: `(from KRYPTIK [70.20.57.51]) by host`.
  const first = tokens[0];
  if (first && first.kind === 'comment' && first.text.slice(0, 5).toLowerCase() === 'from ') {
    out.hasFrom = true;
    out.from = tokenize(first.text.slice(5));
    seen.add('from');
    start = 1;
  }

  let current: Token[] | null = null;
  let currentName: ClauseName | null = null;
  for (let i = start; i < end; i++) {
    const t = tokens[i]!;
    if (t.kind === 'semi') continue;
    if (t.kind === 'word') {
      const lower = t.text.toLowerCase();
      // A keyword starts a clause unless it is the first token of the from-clause (a host literally named "by").
      if (KEYWORDS.has(lower) && !(currentName === 'from' && current !== null && current.length === 0)) {
        const name = lower as ClauseName;
        if (name === 'from' && seen.has('by') && out.envFrom.length === 0) {
          current = out.envFrom;
          currentName = null;
          continue;
        }
        if (!seen.has(name)) {
          seen.add(name);
          current = out[name];
          currentName = name;
          if (name === 'from') out.hasFrom = true;
          continue;
        }
        current = null; // a repeated clause: ignore its content
        currentName = null;
        continue;
      }
    }
    current?.push(t);
  }
  return out;
}
