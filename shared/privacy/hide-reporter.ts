import { readHeaderSection } from '../analysis/message/header-section.ts';
import { walkMime } from '../analysis/message/mime-tree.ts';
import { DEFAULT_EXTRACTION_LIMITS } from '../analysis/message/limits.ts';
import { HEADER_PART_TYPES } from '../analysis/message/report-parts.ts';
import { isPseudonym, pseudonymise } from './pseudonym.ts';

/**
 * The reporter's address out of what analysts see once a submission is past PSEUDONYMISE_DAYS
 * (issue 12.12): the database holds pseudonyms by then, but the raw message still carried the
 * address in the reporter's own wrapper. Replaced when serving, in the wrapper only: the reported
 * message inside (a message/rfc822 or headers part) stays byte-exact. Pure; docs/reliability.md,
 * "Retention and pseudonymisation".
 */

/** Lower-cased address → the pseudonym shown instead. */
export type HiddenAddresses = Map<string, string>;

/** The wrapper's fields that name its author — the reporter, for a forward or a feedback report. */
const AUTHOR_FIELDS = new Set(['from', 'sender', 'reply-to', 'return-path', 'resent-from', 'resent-sender']);
/** An ASCII addr-spec, as candidates to compare with the stored pseudonyms. */
const ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+/g;
/** Most distinct candidates hashed for one message (each is one HMAC). */
const MAX_CANDIDATES = 10_000;
const LIMITS = { ...DEFAULT_EXTRACTION_LIMITS, mimeParts: 2000 };

export interface ReporterIdentity {
  raw: Buffer;
  /** The submission has a wrapper (forward, ARF, X-ARF): its author is the reporter. False for a direct submission. */
  wrapped: boolean;
  /** What the database holds for who reported: submissions.reporter / envelope_from, reports.reporter — plain or pseudonyms. */
  stored: (string | null)[];
  key: Buffer;
}

/**
 * The reporter's addresses and their pseudonyms: the stored identities still in plain text, every
 * address written in the message whose pseudonym is one of the stored pseudonyms (the key is the
 * worker's), and — for a wrapper — the addresses in its author fields.
 */
export function reporterAddresses({ raw, wrapped, stored, key }: ReporterIdentity): HiddenAddresses {
  const hidden: HiddenAddresses = new Map();
  const add = (address: string) => {
    const a = address.trim().toLowerCase();
    if (a.includes('@')) hidden.set(a, pseudonymise(key, a));
  };
  const pseudonyms = new Set<string>();
  for (const s of stored) {
    if (!s) continue;
    if (isPseudonym(s)) pseudonyms.add(s);
    else add(s);
  }
  const text = raw.toString('latin1');
  if (pseudonyms.size) {
    const seen = new Set<string>();
    for (const m of text.matchAll(ADDRESS)) {
      const a = m[0].toLowerCase();
      if (seen.has(a)) continue;
      seen.add(a);
      if (pseudonyms.has(pseudonymise(key, a))) add(a);
      if (seen.size >= MAX_CANDIDATES) break;
    }
  }
  if (wrapped) {
    for (const h of readHeaderSection(raw, LIMITS).headers) {
      if (AUTHOR_FIELDS.has(h.name)) for (const m of h.value.matchAll(ADDRESS)) add(m[0]);
    }
  }
  return hidden;
}

function matcher(hidden: HiddenAddresses): RegExp | null {
  if (hidden.size === 0) return null;
  const alternatives = [...hidden.keys()].sort((a, b) => b.length - a.length).map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Not inside a longer address: no address character before, and no name character (or dot + name) after.
  return new RegExp(`(?<![A-Za-z0-9.!#$%&'*+/=?^_\`{|}~-])(?:${alternatives.join('|')})(?![A-Za-z0-9-]|\\.[A-Za-z0-9])`, 'gi');
}

/** `text` with each hidden address replaced by its pseudonym (for pages that display parts of a message). */
export function hideInText(text: string, hidden: HiddenAddresses): string {
  const re = matcher(hidden);
  return re ? text.replace(re, (m) => hidden.get(m.toLowerCase()) ?? m) : text;
}

/**
 * The raw message with the hidden addresses replaced in its wrapper: everything but the bodies of its
 * message/rfc822 (and headers-only) parts, which are the reported messages and stay byte-exact.
 * Base64 text parts of the wrapper are decoded, replaced and encoded again. When the MIME structure
 * cannot be read in full, only the top header section is rewritten (it is the wrapper's for sure).
 */
export function hideInWrapper(raw: Buffer, hidden: HiddenAddresses): Buffer {
  const re = matcher(hidden);
  if (!re) return raw;
  const replace = (bytes: Buffer) => Buffer.from(bytes.toString('latin1').replace(re, (m) => hidden.get(m.toLowerCase()) ?? m), 'latin1');
  const section = readHeaderSection(raw, LIMITS);
  const budget = { parts: 0, truncated: [] as string[] };
  const parts = walkMime(raw, section.headers, section.bodyStart, 0, LIMITS, budget);
  if (section.truncated.length || budget.truncated.length) {
    return Buffer.concat([replace(raw.subarray(0, section.bodyStart)), raw.subarray(section.bodyStart)]);
  }
  const offset = (b: Buffer) => b.byteOffset - raw.byteOffset;
  // Byte ranges kept as they are (reported messages) or rewritten as a whole (base64 text of the wrapper).
  const special: { start: number; end: number; kind: 'keep' | 'base64' }[] = [];
  for (const p of parts) {
    if (p.depth === 0 || p.contentType.startsWith('multipart/')) continue;
    const start = offset(p.body);
    const range = { start, end: start + p.body.length };
    if (p.contentType.startsWith('message/') || HEADER_PART_TYPES.has(p.contentType)) special.push({ ...range, kind: 'keep' });
    else if (p.contentType.startsWith('text/') && p.encoding === 'base64') special.push({ ...range, kind: 'base64' });
  }
  special.sort((a, b) => a.start - b.start);
  const out: Buffer[] = [];
  let at = 0;
  for (const s of special) {
    if (s.start < at) continue; // nested in a range already handled
    out.push(replace(raw.subarray(at, s.start)));
    const body = raw.subarray(s.start, s.end);
    if (s.kind === 'keep') out.push(body);
    else {
      const text = Buffer.from(body.toString('latin1'), 'base64');
      const hiddenText = replace(text);
      out.push(hiddenText.equals(text) ? body : Buffer.from(`${hiddenText.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`));
    }
    at = s.end;
  }
  out.push(replace(raw.subarray(at)));
  return Buffer.concat(out);
}
