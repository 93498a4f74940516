import { revealInvisible } from './reveal-invisible.ts';

/**
 * Server-side HTML with escaping by default: every interpolated value is escaped unless it is
 * itself `Html` (the result of another `html` template or `raw()`). Reported mail is written by
 * attackers, so nothing reaches a page unescaped by accident — and nothing invisible either:
 * bidi and control characters are shown by name (`⟨U+202E⟩`, reveal-invisible.ts) in every value,
 * so a subject cannot read backwards or hide text. The one helper every page prints through.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(revealInvisible(String(v)));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/**
 * A visitor's own input written back into a form field exactly (escaped, not revealed), so
 * re-submitting the form does not change it. Never for text from a report.
 */
export function verbatim(input: string): Html {
  return new Html(escapeHtml(input));
}

/** Trusted markup only (never data from a report or a request). */
export function raw(trusted: string): Html {
  return new Html(trusted);
}
