import { bandHashes, hashString, signatureFromBytes } from './minhash.ts';
import type { ContentFeatures } from './content-features.ts';

/**
 * The keys under which a campaign's exemplar is filed in `campaign_keys`, and which a new report
 * looks up: a key is a signed 64-bit integer (a Postgres bigint, as a decimal string for pg), so
 * the index is one narrow btree whatever the key's kind. Kinds are seeded apart, so a band value
 * never equals a domain's key by construction.
 */

export type KeyKind = 'band' | 'domain' | 'stem' | 'exact';

/** Domains kept as keys per exemplar: the first links carry the campaign; long link lists add noise. */
export const DOMAIN_KEYS = 5;
/** A subject stem is a key only with this many words ("hello" or "invoice" files half the world together). */
export const STEM_KEY_WORDS = 3;

const SEED: Record<KeyKind, [number, number]> = {
  band: [0x1b873593, 0xcc9e2d51],
  domain: [0x27d4eb2f, 0x165667b1],
  stem: [0x85ebca77, 0xc2b2ae3d],
  exact: [0x9e3779b1, 0x61c88647],
};

function key64(hi: number, lo: number): string {
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString();
}

function stringKey(kind: KeyKind, s: string): string {
  const [a, b] = SEED[kind];
  return key64(hashString(s, a), hashString(s, b));
}

export interface BucketKey {
  kind: KeyKind;
  key: string;
}

/** Every key of a report's (or exemplar's) features; none for `none`. */
export function bucketKeys(f: ContentFeatures): BucketKey[] {
  if (f.judge === 'none') return [];
  if (f.judge === 'short') return f.exact ? [{ kind: 'exact', key: stringKey('exact', f.exact) }] : [];
  const out: BucketKey[] = [];
  if (f.signature) {
    const [a, b] = SEED.band;
    for (const [h1, h2] of bandHashes(signatureFromBytes(Buffer.from(f.signature, 'hex')))) {
      out.push({ kind: 'band', key: key64(h1 ^ a, h2 ^ b) });
    }
  }
  for (const d of f.urlDomains.slice(0, DOMAIN_KEYS)) out.push({ kind: 'domain', key: stringKey('domain', d) });
  if (f.subjectStem.split(' ').length >= STEM_KEY_WORDS) out.push({ kind: 'stem', key: stringKey('stem', f.subjectStem) });
  return out;
}
