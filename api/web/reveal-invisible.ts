/**
 * Characters that change how text reads without showing themselves: C0/C1 controls (but tab, line
 * feed and carriage return), DEL, the bidirectional controls (U+202E turns `exe.pdf` around), zero
 * widths, invisible operators, line/paragraph separators, the BOM and the Unicode tag block (text
 * that is invisible but copied along). Reported mail uses them to make a subject or a file name
 * read as something else.
 */
const INVISIBLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]|[\u{E0000}-\u{E007F}]/gu;

/** Replaces each such character by its visible name, e.g. `⟨U+202E⟩`. */
export function revealInvisible(s: string): string {
  return s.replace(INVISIBLE, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
