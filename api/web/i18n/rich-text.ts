import { html, Html } from '../html.ts';
import type { Translate } from './catalog.ts';

/** Stands in for a markup placeholder while i18next interpolates; never in a translation or a value. */
const MARK = '\u0000';

/**
 * A translated sentence with markup inside it ("We sent a link to <strong>{{email}}</strong>."):
 * the translation keeps the words and their order, `markup` supplies each {{placeholder}} as Html
 * built by `html```. The words are escaped like every other value, so a translation cannot inject
 * markup and a visitor's value (inside `markup`) is escaped where it was built.
 */
export function richText(t: Translate, key: string, markup: Record<string, Html>, options: Record<string, unknown> = {}): Html {
  const marks = Object.fromEntries(Object.keys(markup).map((name) => [name, `${MARK}${name}${MARK}`]));
  const text = String(t(key, { ...options, ...marks }));
  const pieces = text.split(new RegExp(`${MARK}(\\w+)${MARK}`));
  // split with a capture group: even indices are words, odd ones the names of the placeholders.
  return html`${pieces.map((piece, i) => (i % 2 === 0 ? piece : markup[piece] ?? ''))}`;
}
