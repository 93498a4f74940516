import { looksLikeIp, readAddress } from './address.ts';
import { tokenize, type Token } from './tokenize.ts';

/** What the from-clause says about the connecting client. Names are as written (cleaned later). */
export interface FromInfo {
  ip: string | null;
  rdns: string | null;
  helo: string | null;
  ident: string | null;
  /** Which shape carried the address, for format detection and tests. */
  shape: 'comment-literal' | 'top-literal' | 'comment-bare' | 'name' | 'none';
  /** The `(HELO x) (ip)` / `(ip)` shape qmail and Yahoo write. */
  qmailStyle: boolean;
}

/** Conventions that change how the same shape is read. */
export interface FromContext {
  /** Exim writes `from rdns ([ip])` when HELO equals rDNS, and `from rdns ([ip] helo=x)` otherwise. */
  exim: boolean;
  /** Exchange writes `from HELO (ip)`: the name is the HELO, not a reverse-DNS name. */
  exchange: boolean;
  /** Webmail (`with HTTP`): the client sent no HELO, whatever name is written. */
  http: boolean;
}

/** What one parenthesised comment of the from-clause holds. */
interface CommentFacts {
  /** The first address literal `[…]` not introduced by HELO; `present` even when empty (`[]`). */
  literal: { present: boolean; ip: string | null; ident: string | null; rdns: string | null; verified: boolean };
  /** The comment is a bare address: `(1.2.3.4)`, `(user@1.2.3.4)`, `(1.2.3.4:25)`. */
  bare: { ip: string; ident: string | null; hadPort: boolean } | null;
  /** `HELO x` / `EHLO x` / `LHLO x` (value may be '' for `(HELO )`), or `helo=x`. */
  helo: string | null;
  ident: string | null;
  /** A single word that is not an address: Exim 3's `(helo)`. */
  plainWord: string | null;
}

const HELO_WORDS: ReadonlySet<string> = new Set(['helo', 'ehlo', 'lhlo']);
/** Words MTAs put where the reverse-DNS name goes when they have none. */
const NO_RDNS: ReadonlySet<string> = new Set(['unknown', 'softdnserr', 'dnserr', 'unverified']);

function readComment(text: string): CommentFacts {
  const facts: CommentFacts = {
    literal: { present: false, ip: null, ident: null, rdns: null, verified: false },
    bare: null,
    helo: null,
    ident: null,
    plainWord: null,
  };
  const toks = tokenize(text);
  let prev: Token | null = null;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === 'word') {
      const lower = t.text.toLowerCase();
      if (HELO_WORDS.has(lower) && facts.helo === null) {
        const next = toks[i + 1];
        facts.helo = next && (next.kind === 'word' || next.kind === 'bracket') ? asWritten(next) : '';
        if (next && (next.kind === 'word' || next.kind === 'bracket')) i++;
        prev = null;
        continue;
      }
      if (lower.startsWith('helo=') && facts.helo === null) {
        // Exim 4.9x: `helo=[IPv6:…]` — the tokenizer split the literal off; it belongs to the HELO, not the address.
        const next = toks[i + 1];
        if (lower === 'helo=' && next && next.kind === 'bracket' && next.glued) {
          facts.helo = asWritten(next);
          i++;
        } else facts.helo = t.text.slice(5);
      } else if (lower.startsWith('ident=') && facts.ident === null) facts.ident = t.text.slice(6) || null;
      else if (lower === 'verified' && facts.literal.present) facts.literal.verified = true;
    } else if (t.kind === 'bracket' && !facts.literal.present) {
      const addr = readAddress(t.text);
      // The word before the literal is the reverse-DNS name (`rdns [ip]`), unless it is a `key=value` note.
      const rdns = prev?.kind === 'word' && !prev.text.includes('=') ? prev.text : null;
      facts.literal = { present: true, ip: addr.ip, ident: addr.ident, rdns, verified: false };
    }
    prev = t;
  }
  const onlyWord = toks.length === 1 && toks[0]!.kind === 'word' ? toks[0]!.text : null;
  if (onlyWord !== null) {
    const addr = readAddress(onlyWord);
    if (addr.ip) facts.bare = { ip: addr.ip, ident: addr.ident, hadPort: addr.hadPort };
    else facts.plainWord = onlyWord;
  }
  return facts;
}

function asWritten(t: Token): string {
  return t.kind === 'bracket' ? `[${t.text}]` : t.text;
}

/**
 * Read the connecting client from the from-clause. The address is the one the RECEIVER recorded, in this
 * order: a literal inside a comment (`helo (rdns [ip])`, `([ip] helo=x)`), a literal after the name (Exim 3,
 * GMX: `rdns (helo) [ip]`), a bare address comment (qmail, Exchange, Critical Path: `name (ip)`), and only
 * then the name itself (`from [ip] by …`, `from 1.2.3.4 by … with HTTP`). An IP-literal HELO is never taken
 * as the address when another one was recorded: the client chooses its HELO.
 */
export function readFromClause(tokens: Token[], ctx: FromContext): FromInfo {
  const info: FromInfo = { ip: null, rdns: null, helo: null, ident: null, shape: 'none', qmailStyle: false };
  let i = 0;
  let name: string | null = null;
  const first = tokens[0];
  if (first && (first.kind === 'word' || first.kind === 'bracket')) {
    name = asWritten(first);
    i = 1;
  }
  let literal: CommentFacts['literal'] | null = null;
  let literalHeloEq = false;
  let topLiteral: { ip: string | null } | null = null;
  let bare: CommentFacts['bare'] = null;
  let bareGlued = false;
  let helo: string | null | undefined; // undefined: not stated
  let plainWord: string | null = null;
  let claiming: string | null = null;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'comment') {
      const f = readComment(t.text);
      if (f.helo !== null && helo === undefined) {
        helo = f.helo;
        if (f.literal.present && !literal) literalHeloEq = true;
      }
      if (f.ident !== null && info.ident === null) info.ident = f.ident;
      if (f.literal.present && !literal) literal = f.literal;
      if (f.bare && !bare) {
        bare = f.bare;
        bareGlued = t.glued && i === 1;
      }
      if (f.plainWord !== null && plainWord === null && !f.literal.present) plainWord = f.plainWord;
    } else if (t.kind === 'bracket' && !topLiteral) {
      topLiteral = { ip: readAddress(t.text).ip };
    } else if (t.kind === 'word' && t.text.toLowerCase() === 'claiming') {
      // smtpd's `host(ip), claiming to be "helo"`
      const w = tokens[i + 3];
      if (w && w.kind === 'word') claiming = w.text.replace(/"/g, '');
    }
  }

  const nameIsIp = name !== null && looksLikeIp(name);
  if (literal) {
    info.shape = 'comment-literal';
    info.ip = literal.ip;
    info.ident ??= literal.ident;
    if (literal.rdns !== null) info.rdns = literal.rdns;
    else if ((literalHeloEq || ctx.exim || literal.verified) && !nameIsIp) info.rdns = name;
    info.helo = helo !== undefined ? helo : name;
  } else if (topLiteral) {
    info.shape = 'top-literal';
    info.ip = topLiteral.ip;
    const stated = helo !== undefined ? helo : plainWord;
    // `rdns (helo) [ip]`: with a separate HELO the name is the reverse-DNS name; alone it is the HELO.
    if (stated !== null) {
      info.helo = stated;
      info.rdns = nameIsIp ? null : name;
    } else info.helo = name;
  } else if (bare) {
    info.shape = 'comment-bare';
    info.qmailStyle = !bareGlued && !ctx.exchange;
    info.ip = bare.ip;
    info.ident ??= bare.ident;
    if (bareGlued) {
      info.rdns = name;
      info.helo = claiming;
    } else {
      info.helo = helo !== undefined ? helo : name;
      // qmail / Critical Path record the reverse-DNS name there; Exchange and XMail (`(ip:port)`) the HELO.
      const hostLike = name !== null && name.includes('.') && !nameIsIp;
      if (!ctx.exchange && !bare.hadPort && hostLike) info.rdns = name;
    }
  } else if (nameIsIp && name !== null) {
    info.shape = 'name';
    const bracketed = name.startsWith('[');
    info.ip = readAddress(bracketed ? name.slice(1, -1) : name).ip;
    // `from [ip] by`: the client's HELO was that literal; a bare `from 1.2.3.4` (webmail) has no HELO.
    info.helo = helo !== undefined ? helo : bracketed ? name : null;
  } else {
    info.helo = helo !== undefined ? helo : name;
  }
  // Sendmail's `(IDENT:user@rdns [ip])` / `(user@rdns [ip])`: the user is an RFC 1413 ident, not part of the name.
  if (info.rdns !== null && info.rdns.includes('@')) {
    const at = info.rdns.lastIndexOf('@');
    const user = info.rdns.slice(0, at).replace(/^ident:/i, '');
    info.ident ??= user || null;
    info.rdns = info.rdns.slice(at + 1);
  }
  // Webmail (`with HTTP`) sends no HELO; `from user@host` (local pickup, content scanners) is a sender, not a HELO.
  if (ctx.http || (info.helo !== null && info.helo.includes('@'))) info.helo = null;
  if (info.rdns !== null && (NO_RDNS.has(info.rdns.toLowerCase()) || looksLikeIp(info.rdns))) info.rdns = null;
  return info;
}
