import { normaliseText } from './normalise-text.ts';
import { replaceLinks } from './urls.ts';

/** Tokens kept in a stem: the start of a subject carries the campaign, the tail often the variation. */
export const STEM_TOKENS = 10;
/** Reply / forward prefixes (several languages), stripped however often they repeat. */
const PREFIX = /^\s*(?:re|fw|fwd|aw|wg|tr|rv|sv|vs|antw|doorst|enc|r|i)\s*(?:\[\d+\])?\s*:\s*/i;

/**
 * The subject stem: the subject without reply/forward prefixes, the recipient's name, numbers and
 * codes folded like the body ("Invoice #4411 for John" and "Invoice #9302 for Mary" → one stem when
 * each copy names its own recipient). '' when nothing is left.
 */
export function subjectStem(subject: string | null, recipient: ReadonlySet<string>): string {
  if (!subject) return '';
  let s = subject.slice(0, 1000);
  for (let i = 0; i < 10; i++) {
    const m = PREFIX.exec(s);
    if (!m) break;
    s = s.slice(m[0].length);
  }
  // "John, your parcel is waiting" — a leading name followed by a comma is the greeting of a subject.
  s = s.replace(/^\s*[\p{L}'-]{1,30}(?:\s[\p{L}'-]{1,30})?\s*,\s*/u, '');
  return normaliseText(replaceLinks(s).text, recipient, false).slice(0, STEM_TOKENS).join(' ');
}
