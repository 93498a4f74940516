import { MAX_RECEIVED_CHARS } from './limits.ts';

/**
 * One top-level lexical unit of a Received value.
 * - word: a run of text up to whitespace, `(`, `)`, `[`, `<` or `;`
 * - comment: a parenthesised comment; `text` is its content with nested comments kept verbatim
 * - bracket: `[…]` (an address literal); `text` is the content
 * - angle: `<…>` (an address); `text` is the content
 * - semi: `;`
 */
export interface Token {
  kind: 'word' | 'comment' | 'bracket' | 'angle' | 'semi';
  text: string;
  /** True when no whitespace separates this token from the previous one (`host(1.2.3.4)`). */
  glued: boolean;
}

/**
 * Unfold and clean a header value: control characters (CR, LF, tab, NUL…) become spaces, runs of spaces
 * collapse, and only the first MAX_RECEIVED_CHARS characters are read. A loop, not a regex, so it is
 * linear on any input.
 */
export function cleanValue(value: string): string {
  const src = value.length > MAX_RECEIVED_CHARS ? value.slice(0, MAX_RECEIVED_CHARS) : value;
  let out = '';
  let space = true; // drops leading whitespace
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c <= 32 || c === 127) {
      if (!space) {
        out += ' ';
        space = true;
      }
    } else {
      out += src[i];
      space = false;
    }
  }
  return space && out.length > 0 ? out.slice(0, -1) : out;
}

/**
 * Split a cleaned value into top-level tokens in one pass. Every character is consumed once: a comment
 * runs to its matching `)` (or to the end when unbalanced), a `[`/`<` runs to the next `]`/`>` or, when
 * there is none, the rest is one word — so `((((…` and `[[[[…` stay linear.
 */
export function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let glued = false;
  const n = s.length;
  while (i < n) {
    const ch = s[i]!;
    if (ch === ' ') {
      glued = false;
      i++;
      continue;
    }
    if (ch === '(') {
      let depth = 1;
      let j = i + 1;
      while (j < n && depth > 0) {
        const c = s[j];
        if (c === '(') depth++;
        else if (c === ')') depth--;
        else if (c === '\\') j++; // quoted-pair: `\)` does not close
        j++;
      }
      const end = depth === 0 ? j - 1 : n;
      tokens.push({ kind: 'comment', text: s.slice(i + 1, end).trim(), glued });
      i = depth === 0 ? j : n;
    } else if (ch === ')') {
      i++; // stray closing parenthesis: ignored
      glued = true;
      continue;
    } else if (ch === ';') {
      tokens.push({ kind: 'semi', text: ';', glued });
      i++;
    } else if (ch === '[' || ch === '<') {
      const close = s.indexOf(ch === '[' ? ']' : '>', i + 1);
      if (close < 0) {
        tokens.push({ kind: 'word', text: s.slice(i), glued });
        i = n;
      } else {
        tokens.push({ kind: ch === '[' ? 'bracket' : 'angle', text: s.slice(i + 1, close).trim(), glued });
        i = close + 1;
      }
    } else {
      let j = i;
      while (j < n) {
        const c = s[j];
        if (c === ' ' || c === '(' || c === ')' || c === '[' || c === '<' || c === ';') break;
        j++;
      }
      tokens.push({ kind: 'word', text: s.slice(i, j), glued });
      i = j;
    }
    glued = true;
  }
  return tokens;
}
