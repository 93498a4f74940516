import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { AppError } from '../../shared/errors/app-error.ts';
import { PACKAGE_ROOT } from '../../shared/package-root.ts';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../web/i18n/languages.ts';

export const DEFAULT_SENDER_POLICY_FILE = join(PACKAGE_ROOT, 'examples', 'sender-policy.md');

/**
 * Markdown as the operator writes it, never as HTML: raw HTML is shown as text (`html: false`),
 * links get only the schemes markdown-it allows (no `javascript:`, `vbscript:`, `file:`, `data:`),
 * and images are off (a picture from another site would also break the CSP).
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
md.disable('image');
const renderLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow noopener noreferrer');
  return renderLink(tokens, idx, options, env, self);
};

/** Markdown → safe HTML (see `md`). */
export function renderPolicy(markdown: string): string {
  return md.render(markdown);
}

/**
 * The translation of `policy.md` in language `it` is `policy.it.md` beside it (`.md` replaced by
 * `.<lang>.md`); a language without one shows the file itself.
 */
export function policyFileFor(path: string, lang: Language): string {
  return lang === DEFAULT_LANGUAGE ? path : path.replace(/(\.md|\.markdown)?$/i, (ext) => `.${lang}${ext || '.md'}`);
}

/** The rendered policy for one language of the pages, and the language it is written in. */
export interface RenderedPolicy {
  html: string;
  lang: Language;
}

/** Reads and renders the policy once, at start, in every language; a missing main file stops the start. */
export function loadPolicy(path: string = DEFAULT_SENDER_POLICY_FILE): Record<Language, RenderedPolicy> {
  const read = (file: string) => {
    try {
      return renderPolicy(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new AppError('config_invalid', `SENDER_POLICY_FILE: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const main: RenderedPolicy = { html: read(path), lang: DEFAULT_LANGUAGE };
  const out = {} as Record<Language, RenderedPolicy>;
  for (const lang of LANGUAGES) {
    const file = policyFileFor(path, lang);
    out[lang] = file !== path && existsSync(file) ? { html: read(file), lang } : main;
  }
  return out;
}
