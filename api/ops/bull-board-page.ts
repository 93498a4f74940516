import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { type Application, type RequestHandler, type Router } from 'express';
import ejs from 'ejs';

const require = createRequire(import.meta.url);
/** The fonts Bull Board's page asks Google for, served from our own packages instead. */
const FONTS = { 'ibm-plex-sans': ['400', '500', '600'], 'ibm-plex-mono': ['400', '500'] } as const;

/** A link to a stylesheet, style sheet or font on another origin (`https://…`, `//…`). */
const EXTERNAL_LINK = /<link\b[^>]*\bhref\s*=\s*["']?(?:[a-z][a-z0-9+.-]*:)?\/\/[^>]*>/gi;
const EXTERNAL_REF = /\b(?:src|href)\s*=\s*["']?(?:[a-z][a-z0-9+.-]*:)?\/\//i;

/**
 * Bull Board's page template without anything from another origin: its Google Fonts link is
 * replaced by the same fonts (IBM Plex, @fontsource packages) served under the board's own path.
 * Throws if the template still names another origin (a future Bull Board release), so the start
 * fails loudly instead of an admin's browser quietly calling out.
 */
export function selfHostedTemplate(template: string): string {
  const links = Object.entries(FONTS)
    .flatMap(([family, weights]) => weights.map((w) => `<link href="fonts/${family}/${w}.css" rel="stylesheet">`))
    .join('\n');
  const out = template.replace(EXTERNAL_LINK, '').replace('</head>', `${links}\n</head>`);
  if (EXTERNAL_REF.test(out)) throw new Error('Bull Board\'s page template refers to another origin; update api/ops/bull-board-page.ts');
  return out;
}

/**
 * Makes the board app render the self-hosted template (its own view engine is replaced by one
 * that renders the rewritten copy, read once).
 */
export function serveBoardPageLocally(boardApp: Application): void {
  const cache = new Map<string, string>();
  boardApp.engine('ejs', (path: string, options: object, callback: (err: unknown, html?: string) => void) => {
    try {
      let template = cache.get(path);
      if (template === undefined) cache.set(path, (template = selfHostedTemplate(readFileSync(path, 'utf8'))));
      callback(null, ejs.render(template, options as Record<string, unknown>));
    } catch (err) {
      callback(err);
    }
  });
}

/** `fonts/<family>/…`: the @fontsource packages' CSS and font files. */
export function boardFonts(): Router {
  const router = express.Router();
  for (const family of Object.keys(FONTS)) {
    const dir = dirname(require.resolve(`@fontsource/${family}/package.json`));
    router.use(`/fonts/${family}`, express.static(dir, { index: false, fallthrough: false, maxAge: '7d' }));
  }
  return router;
}

/**
 * The board's own Content-Security-Policy, narrower than the app's: everything from this origin
 * only (no `https:` for fonts or styles). Styles may be inline — Bull Board's React code inserts
 * <style> elements — but scripts may not.
 */
export const boardCsp: RequestHandler = (_req, res, next) => {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; base-uri 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; " +
      "img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'",
  );
  next();
};
