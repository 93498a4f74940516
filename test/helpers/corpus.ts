import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/corpus: a copy of the public corpus (see its MANIFEST.md and LICENSES/). CORPUS_DIR overrides. */
export const CORPUS_DIR = process.env.CORPUS_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/corpus');

export function corpusFile(rel: string): Buffer {
  return readFileSync(join(CORPUS_DIR, rel));
}

/** Every `.eml` under a corpus folder, as [relative path, bytes]. */
export function corpusFolder(rel: string): [string, Buffer][] {
  return readdirSync(join(CORPUS_DIR, rel), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => [join(rel, f), readFileSync(join(CORPUS_DIR, rel, f))]);
}
