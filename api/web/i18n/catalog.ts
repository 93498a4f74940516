import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type Resource, type TFunction } from 'i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './languages.ts';

/**
 * The public pages' words, one JSON file per page family and language:
 * `locales/<language>/<namespace>.json` (test/web/i18n-catalog.test.ts checks that every key exists
 * in every language with the same {{placeholders}}). Read once, at start, synchronously: a missing
 * or broken file stops the service instead of showing keys to visitors.
 */
export const LOCALES_DIR = fileURLToPath(new URL('./locales/', import.meta.url));

/** Reads every namespace of every language; throws naming the file that is not a JSON object. */
export function readCatalog(dir: string = LOCALES_DIR): Resource {
  const resources: Resource = {};
  for (const lang of LANGUAGES) {
    resources[lang] = {};
    for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith('.json')).sort()) {
      const path = join(dir, lang, file);
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(path, 'utf8'));
      } catch (err) {
        throw new Error(`translation file ${path} is not valid JSON: ${(err as Error).message}`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`translation file ${path} must hold a JSON object`);
      resources[lang]![file.slice(0, -'.json'.length)] = parsed as Record<string, unknown>;
    }
  }
  return resources;
}

const resources = readCatalog();
export const NAMESPACES = Object.keys(resources[DEFAULT_LANGUAGE] ?? {});

const instance = i18next.createInstance();
void instance.init({
  resources,
  ns: NAMESPACES,
  defaultNS: NAMESPACES[0] ?? 'common',
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  initAsync: false, // resources are in memory: ready on return
  // Pages print through the html`` template, which escapes every value: escaping here too would double it.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** A translate function for one language and namespace: `t('key', { count })`. */
export type Translate = TFunction;

export function translator(lang: Language, ns: string): Translate {
  if (!NAMESPACES.includes(ns)) throw new Error(`no translation namespace ${ns} (files: ${NAMESPACES.join(', ')})`);
  return instance.getFixedT(lang, ns);
}
