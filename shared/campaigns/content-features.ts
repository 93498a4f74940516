import { createHash } from 'node:crypto';
import { normaliseText, recipientWords } from './normalise-text.ts';
import { hrefDomains, MAX_DOMAINS, replaceLinks } from './urls.ts';
import { subjectStem } from './subject-stem.ts';
import { shingles, signature, signatureToBytes } from './minhash.ts';
import type { ReportedBody } from './reported-body.ts';

/**
 * The content features of one reported message: what campaign assignment compares. Plain JSON
 * (the CLI prints it, the worker passes it from the analysis to the commit).
 */
export interface ContentFeatures {
  /**
   * How the message can be judged: `text` by similarity; `short` (too little text to compare
   * fuzzily) only by an exact match of its normalised text and subject; `none` (no body, as in headers-only
   * reports, or a handful of words) not at all — it joins no campaign.
   */
  judge: 'text' | 'short' | 'none';
  /** Normalised tokens read. */
  tokens: number;
  /** Distinct word shingles. */
  shingles: number;
  /** MinHash signature, hex (SIGNATURE_SLOTS × 8 characters), or null unless `judge` is `text`. */
  signature: string | null;
  /** SHA-256 (hex, first 32 characters) of the normalised text and subject stem, or null for `none`. */
  exact: string | null;
  /** Registrable domains linked from the body, first seen first. */
  urlDomains: string[];
  /** Subject without prefixes, names, numbers and codes ('' when none is left). */
  subjectStem: string;
}

/**
 * Below this many distinct shingles a message is `short`: a few words shared by chance (or by two
 * campaigns from one kit) would otherwise make two campaigns one. Tuned with the labelled set
 * (docs/campaigns.md).
 */
export const MIN_SHINGLES = 8;
/** Below this many words (body and subject stem together) even an exact match says nothing: `none`. */
export const MIN_EXACT_WORDS = 4;

export function contentFeatures(body: ReportedBody, subject: string | null): ContentFeatures {
  const recipient = recipientWords(body.to);
  const stem = subjectStem(subject, recipient);
  const linked = replaceLinks(body.text);
  const tokens = normaliseText(linked.text, recipient);
  const urlDomains = [...new Set([...linked.domains, ...(body.html ? hrefDomains(body.html) : [])])].slice(0, MAX_DOMAINS);
  const stemWords = stem === '' ? 0 : stem.split(' ').length;
  if (tokens.length === 0 || tokens.length + stemWords < MIN_EXACT_WORDS) {
    return { judge: 'none', tokens: 0, shingles: 0, signature: null, exact: null, urlDomains, subjectStem: stem };
  }
  const set = shingles(tokens);
  const exact = createHash('sha256').update(tokens.join(' ')).update('\n').update(stem).digest('hex').slice(0, 32);
  if (set.size < MIN_SHINGLES) {
    return { judge: 'short', tokens: tokens.length, shingles: set.size, signature: null, exact, urlDomains, subjectStem: stem };
  }
  return {
    judge: 'text',
    tokens: tokens.length,
    shingles: set.size,
    signature: signatureToBytes(signature(set)).toString('hex'),
    exact,
    urlDomains,
    subjectStem: stem,
  };
}
