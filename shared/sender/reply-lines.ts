import { isIP } from 'node:net';
import { MAX_FINDINGS, MAX_REPLY_TEXT, mergeFindings, type BounceFinding } from './bounce-finding.ts';

/**
 * SMTP replies in free text — a pasted bounce, the text of a bounce message, a Diagnostic-Code —
 * found the way a person reads them: `550 5.7.606 Access denied, banned sending IP [192.0.2.1]`,
 * `Remote Server returned '550 5.1.10 RESOLVER…'`, `Diagnostic-Code: smtp; 550 5.2.2 … Mailbox Full`,
 * `host mx.example [192.0.2.20]: 550 5.7.0 …`. Pure and total: any string in, a bounded list out.
 */

/** Characters of pasted text read (a bounce's reply is near its top; the rest is the returned message). */
export const MAX_SCAN_CHARS = 256 * 1024;
const MAX_LINES = 5000;

/**
 * An enhanced status code of a failure (class 4 or 5) standing on its own: not inside an IP
 * address (`10.5.1.1`), a version (`v5.1.1`) or a longer number (`5.1.1.2`).
 */
const ENHANCED = /(?<![\w.])([45])\.(\d{1,3})\.(\d{1,3})(?![\w.]*\d)/g;
/** The basic reply code just before an enhanced one: `550 5.7.1`, `550-5.7.1`, `#550 5.1.1`, `550-'5.7.1`. */
const BASIC_BEFORE = /(?:^|[^\w.])([45]\d\d)[ \t-]+['"]?$/;
/** A reply with a basic code only, where replies are quoted: at a line start, after `smtp;`, `said:`, a colon. */
const BASIC_ONLY = /(?:^[\s<>#]*|smtp;\s*|said:\s*|error:\s*|returned\s+'|:\s)([45][0-5]\d)[ -](?=[A-Za-z<"'])/gi;
const BRACKETED_IP = /\[(?:IPv6:)?([0-9A-Fa-f:.]{2,45})\]/g;
const BARE_IPV4 = /(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?![\w.]*\d)/g;
const FIELD_LINE = /^[A-Za-z][A-Za-z0-9-]{0,40}:/;

/** The first IP address named in `text`: a bracketed one (ours is), else a bare IPv4 address. */
export function firstIp(text: string): string | null {
  for (const m of text.matchAll(BRACKETED_IP)) if (isIP(m[1]!)) return m[1]!;
  for (const m of text.matchAll(BARE_IPV4)) if (isIP(m[1]!)) return m[1]!;
  return null;
}

/** A reply's text as shown: one line, blanks collapsed, the quoting around it (`'…'`, `(reason: …)`) removed. */
function cleanText(s: string): string {
  let t = s.replace(/\s+/g, ' ').trim();
  if (t.endsWith("'") && !t.slice(0, -1).includes("'")) t = t.slice(0, -1).trimEnd();
  if (t.endsWith(')') && !t.includes('(')) t = t.slice(0, -1).trimEnd();
  return t.length > MAX_REPLY_TEXT ? `${t.slice(0, MAX_REPLY_TEXT - 1)}…` : t;
}

/**
 * Logical lines: CRLF as LF, quoted-printable soft breaks joined when the text is visibly QP (a
 * pasted message source), and continuation lines of a field (`Diagnostic-Code:` folded) unfolded.
 */
export function logicalLines(input: string): string[] {
  let text = input.length > MAX_SCAN_CHARS ? input.slice(0, MAX_SCAN_CHARS) : input;
  text = text.replace(/\r\n?/g, '\n');
  if (/=[0-9A-F]{2}/.test(text) && /=\n/.test(text)) text = text.replace(/=\n/g, '');
  const out: string[] = [];
  let fieldOpen = false;
  for (const line of text.split('\n', MAX_LINES)) {
    if (fieldOpen && /^[ \t]/.test(line) && line.trim() !== '' && out.length > 0) {
      out[out.length - 1] += ` ${line.trim()}`;
      continue;
    }
    fieldOpen = FIELD_LINE.test(line);
    out.push(line);
  }
  return out;
}

/** The replies on one line: every enhanced code, each with the basic code before it; else basic codes alone. */
export function repliesInLine(line: string, source: BounceFinding['source'] = 'text'): BounceFinding[] {
  const hits: { start: number; status: string | null; reply: string | null }[] = [];
  for (const m of line.matchAll(ENHANCED)) {
    const before = BASIC_BEFORE.exec(line.slice(Math.max(0, m.index - 12), m.index));
    const start = before ? m.index - before[0].length + before[0].indexOf(before[1]!) : m.index;
    hits.push({ start, status: `${m[1]}.${Number(m[2])}.${Number(m[3])}`, reply: before ? before[1]! : null });
    if (hits.length >= MAX_FINDINGS) break;
  }
  if (hits.length === 0) {
    for (const m of line.matchAll(BASIC_ONLY)) {
      hits.push({ start: m.index + m[0].length - 4, status: null, reply: m[1]! }); // the match ends: code, separator
      if (hits.length >= MAX_FINDINGS) break;
    }
  }
  // Each reply's text runs to the next reply on the line: "5.1.0 - Unknown address error 550-'5.7.1 …" is two.
  return hits.map((h, i) => {
    const text = cleanText(line.slice(h.start, hits[i + 1]?.start ?? line.length));
    return { status: h.status, reply: h.reply, text, ip: firstIp(text), source };
  });
}

/** Every SMTP failure reply in `text`, in order, each once (see mergeFindings), at most MAX_FINDINGS. */
export function findReplies(text: string, source: BounceFinding['source'] = 'text'): BounceFinding[] {
  const out: BounceFinding[] = [];
  if (typeof text !== 'string') return out;
  for (const line of logicalLines(text)) {
    const found = repliesInLine(line, source);
    if (found.length) mergeFindings(out, found);
  }
  return out;
}
