// ejs ships no types; we use only this (Bull Board's own page template is ejs).
declare module 'ejs' {
  export function render(template: string, data?: Record<string, unknown>): string;
}
