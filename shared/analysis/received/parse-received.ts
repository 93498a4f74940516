import type { Hop } from '../types.ts';
import { readAuth } from './auth.ts';
import { splitClauses, type Clauses } from './clauses.ts';
import { detectFormat } from './detect-format.ts';
import { readFromClause } from './from-clause.ts';
import { MAX_FIELD_CHARS } from './limits.ts';
import { parseReceivedDate } from './received-date.ts';
import { cleanValue, tokenize, type Token } from './tokenize.ts';

/** A parsed hop plus the fields the Hop contract does not carry (kept for tests and evidence). */
export interface ReceivedDetail {
  hop: Hop;
  /** RFC 1413 ident or qmail's `(user@ip)` user. */
  ident: string | null;
  /** Envelope sender when recorded (`(envelope-from <x>)`, `(envelope-sender <x>)`, XMail's `from <x>`). */
  envFrom: string | null;
}

/**
 * Parse one Received header value into a Hop. Pure and total: never throws, reads at most
 * MAX_RECEIVED_CHARS characters in a few linear passes, and returns a Hop of nulls for junk.
 * See docs/received-parser.md for the formats and conventions.
 */
export function parseReceived(value: string, index: number): Hop {
  return parseReceivedDetail(value, index).hop;
}

export function parseReceivedDetail(value: string, index: number): ReceivedDetail {
  const raw = typeof value === 'string' ? cleanValue(value) : '';
  try {
    return parseClean(raw, index);
  } catch {
    // Defence in depth: every step is written to be total, but a hostile header must never abort an analysis.
    return { hop: emptyHop(raw, index), ident: null, envFrom: null };
  }
}

function parseClean(raw: string, index: number): ReceivedDetail {
  const c = splitClauses(tokenize(raw));
  const lower = raw.toLowerCase();
  const by = readBy(c.by);
  const protocol = readProtocol(c);
  const exchange = lower.includes('microsoft smtp') || lower.includes('with mapi');
  const from = readFromClause(c.from, {
    exim: lower.includes('(exim ') || lower.includes('exim)'),
    exchange,
    http: protocol !== null && protocol.toLowerCase().startsWith('http'),
  });
  const hop: Hop = {
    index,
    // A mailbox pick-up (fetchmail over POP3/IMAP) is the recipient collecting mail, not a relay handing it over.
    ip: isPickup(protocol, lower) ? null : from.ip,
    rdns: hostName(from.rdns),
    helo: hostName(from.helo),
    by,
    protocol,
    id: readId(c),
    auth: readAuth(protocol, c.comments, exchange, raw),
    for: readFor(c.for),
    date: parseReceivedDate(c.date.filter((t) => t.kind === 'word').map((t) => t.text)),
    format: detectFormat({ lower, by, hasFrom: c.hasFrom, qmailStyle: from.qmailStyle }),
    raw,
  };
  return { hop, ident: bounded(from.ident), envFrom: readEnvFrom(c) };
}

const PICKUP_PROTOCOLS: ReadonlySet<string> = new Set(['pop', 'pop3', 'pop3s', 'imap', 'imap4', 'imaps']);

function isPickup(protocol: string | null, lower: string): boolean {
  return (protocol !== null && PICKUP_PROTOCOLS.has(protocol.toLowerCase())) || lower.includes('(fetchmail');
}

function emptyHop(raw: string, index: number): Hop {
  return { index, ip: null, rdns: null, helo: null, by: null, protocol: null, id: null, auth: null, for: null, date: null, format: 'generic', raw };
}

/** Host names compare case-insensitively: lower-case, trailing dots off (`host.` as Gmail writes it), bounded. */
function hostName(s: string | null): string | null {
  if (s === null) return null;
  let t = s.trim().toLowerCase();
  while (t.endsWith('.')) t = t.slice(0, -1);
  return t.length === 0 ? null : bounded(t);
}

function bounded(s: string | null): string | null {
  if (s === null) return null;
  return s.length > MAX_FIELD_CHARS ? s.slice(0, MAX_FIELD_CHARS) : s;
}

function firstWord(tokens: Token[]): Token | null {
  for (const t of tokens) if (t.kind === 'word' || t.kind === 'bracket' || t.kind === 'angle') return t;
  return null;
}

/** `by host.example (Postfix)` → `host.example`. */
function readBy(tokens: Token[]): string | null {
  const t = tokens[0];
  if (!t) return null;
  const text = t.kind === 'bracket' ? t.text : t.kind === 'word' ? trimPunct(t.text) : null;
  return hostName(text);
}

/** Drop trailing `,`/`;` (`by host,`); never `:`, which ends compressed IPv6 (`by 2002:a17:902:9a94::`). */
function trimPunct(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === ',' || s[end - 1] === ';')) end--;
  return s.slice(0, end);
}

/**
 * The `with` protocol (first word, comments skipped: `with (DHE-RSA… encrypted) SMTP`); Exchange's
 * "Microsoft SMTP Server"/"Microsoft SMTPSVC" read as SMTP; else `via X` or a `(via HTTP)` comment.
 */
function readProtocol(c: Clauses): string | null {
  const w = firstWord(c.with);
  if (w && w.kind === 'word') {
    if (w.text.toLowerCase() === 'microsoft') return 'SMTP';
    return bounded(trimPunct(w.text)) || null;
  }
  const v = firstWord(c.via);
  if (v && v.kind === 'word') return bounded(trimPunct(v.text)) || null;
  for (const comment of c.comments) if (comment.toLowerCase().startsWith('via ')) return bounded(comment.slice(4).trim()) || null;
  return null;
}

/** The queue id after `id` (`<…>` unwrapped); Courier writes it after the date (`; date id X`). */
function readId(c: Clauses): string | null {
  let t = firstWord(c.id);
  if (!t) {
    const k = c.date.findIndex((d) => d.kind === 'word' && d.text.toLowerCase() === 'id');
    if (k >= 0) t = firstWord(c.date.slice(k + 1));
  }
  if (!t || t.kind === 'bracket') return null;
  const id = t.kind === 'angle' ? t.text : trimPunct(t.text);
  return id.length === 0 ? null : bounded(id);
}

/** `for <user@example>` (also `for user@example`, `for <<x>>`). */
function readFor(tokens: Token[]): string | null {
  const t = firstWord(tokens);
  if (!t || t.kind === 'bracket') return null;
  const addr = stripAngles(t.kind === 'angle' ? t.text : trimPunct(t.text));
  return addr.length === 0 ? null : bounded(addr);
}

function stripAngles(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s[a] === '<') a++;
  while (b > a && s[b - 1] === '>') b--;
  return s.slice(a, b).trim();
}

/** `(envelope-from <x>)`, `(envelope-from x)`, `(envelope-sender <x>)` in any comment; XMail's trailing `from <x>`. */
function readEnvFrom(c: Clauses): string | null {
  for (const comment of c.comments) {
    const lower = comment.toLowerCase();
    for (const key of ['envelope-from', 'envelope-sender']) {
      const k = lower.indexOf(key);
      if (k < 0) continue;
      const rest = comment.slice(k + key.length).trim();
      const end = rest.search(/[\s,;]/);
      const addr = stripAngles(end < 0 ? rest : rest.slice(0, end));
      if (addr.length > 0) return bounded(addr);
    }
  }
  const t = firstWord(c.envFrom);
  if (t && t.kind !== 'bracket') {
    const addr = stripAngles(t.text);
    if (addr.length > 0) return bounded(addr);
  }
  return null;
}
