/**
 * Normalised text: what stays the same across the copies of one campaign. Spammers vary each copy
 * on purpose — the recipient's name in the greeting, fresh numbers, a per-recipient token in every
 * URL — so those are folded or dropped here, and what is left is a list of word tokens.
 * Linear scans and bounded inputs only: the text is hostile.
 */

/** Tokens kept per message: enough for any real spam; a novel-length body is judged on its start. */
export const MAX_TOKENS = 3000;
/** Lines at the top of a body that may be a greeting. */
const GREETING_LINES = 3;
/** Words that open a greeting line, compared lower-case (several languages; "dear" covers "dear customer"). */
const GREETINGS = new Set([
  'dear', 'hi', 'hello', 'hey', 'greetings', 'attention', 'attn', 'good', 'morning', 'afternoon', 'evening', 'welcome',
  'bonjour', 'salut', 'cher', 'chère', 'hallo', 'liebe', 'lieber', 'sehr', 'hola', 'estimado', 'estimada', 'ciao',
  'salve', 'gentile', 'caro', 'cara', 'beste', 'geachte', 'olá', 'prezado', 'prezada', 'witaj', 'szanowny', 'szanowna',
]);
/** The folded forms: a number, a token mixing letters and digits (ids, codes), an e-mail address (read as a link). */
export const NUMBER = '#';
export const CODE = '*';
export const EMAIL = 'u:mailto';

/** Word characters: letters and digits of any script, and the in-word joiners . _ - kept for codes. */
const WORD = /(?:u:)?[\p{L}\p{N}][\p{L}\p{N}._'-]*/gu;
const JOINERS = new Set(['.', '_', "'", '-']);

/**
 * Words of the recipient's own name and address (from the reported message's To), which a
 * personalised campaign writes into each copy: they are dropped wherever they appear.
 */
export function recipientWords(to: string | null): Set<string> {
  const out = new Set<string>();
  if (!to) return out;
  for (const w of to.slice(0, 300).normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (w.length >= 3 && !/^\d+$/.test(w)) out.add(w);
  }
  // The domain of the address is not the recipient's name; common words there fold nothing useful.
  for (const common of ['com', 'net', 'org', 'mail', 'gmail', 'yahoo', 'hotmail', 'outlook']) out.delete(common);
  return out;
}

/** One raw word → its folded token, or null to drop it. */
export function foldWord(raw: string, recipient: ReadonlySet<string>): string | null {
  let end = raw.length;
  while (end > 0 && JOINERS.has(raw[end - 1]!)) end--;
  const w = raw.slice(0, end);
  if (w === '') return null;
  if (w.length > 64) return CODE;
  if (recipient.has(w)) return null;
  let digits = 0;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
  }
  if (digits === 0) {
    // Long letter runs with joiners are codes too (tracking ids in base32/64 that happen to have no digit).
    return w.length > 30 ? CODE : w;
  }
  // 123 / 1.234,56 / 12-34 → a number; anything else with a digit (A12B, x9f3e…, 3rd) → a code.
  return /^[\d.,'_-]+$/.test(w) ? NUMBER : CODE;
}

/** Is this line a greeting ("Dear John,", "Hi there!", "John Smith,")? Only asked of the first lines. */
export function isGreeting(line: string): boolean {
  const words = line.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 7) return false;
  const first = words[0]!.replace(/[^\p{L}]/gu, '');
  if (GREETINGS.has(first)) return true;
  // A bare name as salutation: two words at most, ending with a comma or colon.
  return words.length <= 2 && /[,:]$/.test(line.trim());
}

/**
 * Text → tokens: NFKC, lower case, greeting lines at the top dropped, links (already replaced by
 * `u:<registrable domain>` through urls.ts) kept as one token, e-mail addresses, numbers and codes
 * folded, runs of folded tokens collapsed to one (so "#123-456" and "#123456" agree).
 */
export function normaliseText(text: string, recipient: ReadonlySet<string>, skipGreetings = true): string[] {
  const lines = text.slice(0, 256 * 1024).normalize('NFKC').toLowerCase().split('\n');
  const tokens: string[] = [];
  let seen = 0;
  for (const rawLine of lines) {
    if (tokens.length >= MAX_TOKENS) break;
    const line = rawLine.trim();
    if (line === '') continue;
    if (skipGreetings && seen++ < GREETING_LINES && isGreeting(line)) continue;
    for (const m of foldAddresses(line).matchAll(WORD)) {
      const tok = m[0].startsWith('u:') ? m[0] : foldWord(m[0], recipient);
      if (tok === null) continue;
      const prev = tokens[tokens.length - 1];
      if ((tok === NUMBER || tok === CODE) && (prev === NUMBER || prev === CODE)) continue;
      tokens.push(tok);
      if (tokens.length >= MAX_TOKENS) break;
    }
  }
  return tokens;
}

/** Blank-separated chunks holding an `@` and a dot after it are addresses: one token each. Linear. */
function foldAddresses(line: string): string {
  if (line.indexOf('@') < 0) return line;
  return line
    .split(/\s+/)
    .map((chunk) => (chunk.indexOf('@') > 0 && chunk.indexOf('.', chunk.indexOf('@')) > 0 ? ` ${EMAIL} ` : chunk))
    .join(' ');
}
