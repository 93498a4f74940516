/**
 * MinHash over word shingles, with LSH banding (Broder 1997; Leskovec, Rajaraman & Ullman, "Mining
 * of Massive Datasets", ch. 3). Why not TLSH: see docs/campaigns.md ("Why MinHash") — in short, the
 * npm port needs 512+ characters, hashes UTF-16 units, and TLSH distances cannot be bucketed in SQL,
 * while MinHash bands are exact keys an index can look up, with a retrieval curve we can choose.
 */

/** Slots in a signature. 64 × 32 bits = 256 bytes per exemplar. */
export const SIGNATURE_SLOTS = 64;
/** Words per shingle. */
export const SHINGLE_WORDS = 3;
/** Slots per band: a band matches when all its slots are equal. */
export const BAND_ROWS = 3;
/** Bands: 21 × 3 = 63 slots; P(candidate) = 1 − (1 − J³)²¹ → 0.75 at J = 0.4, 0.94 at 0.5, 0.996 at 0.6. */
export const BANDS = Math.floor(SIGNATURE_SLOTS / BAND_ROWS);

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
export function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string (UTF-16 units, seeded), mixed per unit and finalised. */
export function hashString(s: string, seed: number): number {
  let h = seed ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return fmix32(h);
}

/** Per-slot seeds, fixed forever: stored signatures must stay comparable across versions. */
const SEEDS = Uint32Array.from({ length: SIGNATURE_SLOTS }, (_, i) => fmix32(0x9e3779b9 + Math.imul(i + 1, 0x7f4a7c15)));

/** Distinct shingle hashes of a token list (each shingle = SHINGLE_WORDS consecutive tokens). */
export function shingles(tokens: readonly string[]): Set<number> {
  const out = new Set<number>();
  if (tokens.length === 0) return out;
  if (tokens.length < SHINGLE_WORDS) {
    out.add(hashString(tokens.join(' '), 0x51ed27));
    return out;
  }
  for (let i = 0; i + SHINGLE_WORDS <= tokens.length; i++) {
    out.add(hashString(tokens.slice(i, i + SHINGLE_WORDS).join(' '), 0x51ed27));
  }
  return out;
}

/** The MinHash signature: for each slot, the least value of the slot's hash over the shingles. */
export function signature(shingleSet: ReadonlySet<number>): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_SLOTS).fill(0xffffffff);
  for (const s of shingleSet) {
    for (let k = 0; k < SIGNATURE_SLOTS; k++) {
      const v = fmix32(s ^ SEEDS[k]!);
      if (v < sig[k]!) sig[k] = v;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity of the two shingle sets: the share of equal slots. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let k = 0; k < SIGNATURE_SLOTS; k++) if (a[k] === b[k]) same++;
  return same / SIGNATURE_SLOTS;
}

/** Band values as pairs of 32-bit hashes (one band → one 64-bit key, see bucket-keys.ts). */
export function bandHashes(sig: Uint32Array): [number, number][] {
  const out: [number, number][] = [];
  for (let b = 0; b < BANDS; b++) {
    let h1 = 0x2545f491 ^ b;
    let h2 = 0x6a09e667 ^ Math.imul(b + 1, 0x3c6ef372);
    for (let r = 0; r < BAND_ROWS; r++) {
      const v = sig[b * BAND_ROWS + r]!;
      h1 = fmix32(h1 ^ v);
      h2 = fmix32(Math.imul(h2, 31) ^ v);
    }
    out.push([h1, h2]);
  }
  return out;
}

/** Signature ↔ bytes (big-endian), for a bytea column. */
export function signatureToBytes(sig: Uint32Array): Buffer {
  const buf = Buffer.alloc(sig.length * 4);
  sig.forEach((v, i) => buf.writeUInt32BE(v, i * 4));
  return buf;
}

export function signatureFromBytes(buf: Buffer): Uint32Array {
  const n = Math.min(SIGNATURE_SLOTS, Math.floor(buf.length / 4));
  const sig = new Uint32Array(SIGNATURE_SLOTS).fill(0xffffffff);
  for (let i = 0; i < n; i++) sig[i] = buf.readUInt32BE(i * 4);
  return sig;
}
