import type { BounceFinding } from './bounce-finding.ts';

/**
 * Which explanation fits a reply: pure matching of the operator's code patterns (SENDER_CODES_FILE).
 * A pattern is an enhanced status code (`5.7.606`) with `x` for digits (`5.7.6xx`, `5.7.x`, `4.x.x`),
 * or a basic reply code (`550`, `5xx`) for replies that carry no enhanced code.
 */
export interface CodePattern {
  code: string;
  /** Words of which the reply text must contain one (any case), e.g. `spf` for a 5.7.1 about SPF. */
  contains?: readonly string[];
}

export const ENHANCED_PATTERN = /^[45x]\.(?:\d{1,3}|\d{0,2}x{1,3})\.(?:\d{1,3}|\d{0,2}x{1,3})$/;
export const BASIC_PATTERN = /^[45x][0-9x]{2}$/;

/** A pattern segment as a regex: `x` alone is any number, else each `x` is one digit. */
function segment(p: string): string {
  return p === 'x' ? '\\d{1,3}' : p.replace(/x/g, '\\d');
}

function compile(code: string): RegExp {
  if (!code.includes('.')) return new RegExp(`^${code.replace(/x/g, '\\d')}$`);
  return new RegExp(`^${code.split('.').map(segment).join('\\.')}$`);
}

/** Fixed digits of a pattern: `5.7.606` 5, `5.7.6xx` 3, `5.x.x` 1. */
const fixedDigits = (code: string) => code.replace(/[^0-9]/g, '').length;

/** Matcher over a list of patterns (compiled once); the most specific pattern wins, then the first in the file. */
export function codeMatcher<E extends CodePattern>(entries: readonly E[]) {
  const compiled = entries.map((e, index) => ({
    e,
    index,
    enhanced: e.code.includes('.'),
    re: compile(e.code),
    words: (e.contains ?? []).map((w) => w.toLowerCase()),
    // Any enhanced match beats a basic one; among equals, a pattern with words beats one without.
    rank: (e.code.includes('.') ? 100 : 0) + fixedDigits(e.code) * 2 + (e.contains?.length ? 1 : 0),
  }));
  return (f: Pick<BounceFinding, 'status' | 'reply' | 'text'>): E | null => {
    const text = f.text.toLowerCase();
    let best: (typeof compiled)[number] | null = null;
    for (const c of compiled) {
      const subject = c.enhanced ? f.status : f.reply;
      if (!subject || !c.re.test(subject)) continue;
      if (c.words.length && !c.words.some((w) => text.includes(w))) continue;
      if (!best || c.rank > best.rank) best = c;
    }
    return best?.e ?? null;
  };
}
