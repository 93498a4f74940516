// ejs ships no types; we use only this (Bull Board's own page template is ejs). Its ES module
// has a default export only.
declare module 'ejs' {
  const ejs: { render(template: string, data?: Record<string, unknown>): string };
  export default ejs;
}
