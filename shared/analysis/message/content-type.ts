/** A parsed structured header value such as Content-Type or Content-Disposition. */
export interface ParsedHeaderValue {
  /** The main value, lower-cased and trimmed (`multipart/report`, `attachment`); '' when absent. */
  value: string;
  /** Parameters, names lower-cased; RFC 2231 continuations and charsets joined and decoded. */
  params: Record<string, string>;
}

/**
 * Parse `type/subtype; name=value; name="quoted; value"; name*=utf-8''%E2%82%AC; name*0=a; name*1=b`.
 * A hand-written scanner (one pass, no regex): tolerant of missing quotes, stray semicolons and
 * duplicates (the first wins, as most MUAs do). Never throws.
 */
export function parseHeaderValue(raw: string | null): ParsedHeaderValue {
  if (!raw) return { value: '', params: {} };
  let i = raw.indexOf(';');
  const value = (i < 0 ? raw : raw.slice(0, i)).trim().toLowerCase();
  const plain: Record<string, string> = {};
  // RFC 2231 pieces: name → [{index, text, encoded}]
  const pieces: Record<string, { index: number; text: string; encoded: boolean }[]> = {};
  const n = raw.length;
  while (i >= 0 && i < n) {
    i++; // past ';'
    while (i < n && (raw[i] === ' ' || raw[i] === '\t' || raw[i] === ';')) i++;
    const eq = raw.indexOf('=', i);
    const semi = raw.indexOf(';', i);
    if (eq < 0 || (semi >= 0 && semi < eq)) {
      i = semi;
      continue;
    }
    const name = raw.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (i < n && (raw[i] === ' ' || raw[i] === '\t')) i++;
    let val = '';
    if (raw[i] === '"') {
      i++;
      let out = '';
      while (i < n && raw[i] !== '"') {
        if (raw[i] === '\\' && i + 1 < n) i++;
        out += raw[i];
        i++;
      }
      val = out;
      i = raw.indexOf(';', i);
    } else {
      const stop = raw.indexOf(';', i);
      val = (stop < 0 ? raw.slice(i) : raw.slice(i, stop)).trim();
      i = stop;
    }
    if (!name) continue;
    const star = name.indexOf('*');
    if (star < 0) {
      if (!(name in plain)) plain[name] = val;
      continue;
    }
    // name*  |  name*0  |  name*0*  |  name*1*
    const base = name.slice(0, star);
    const rest = name.slice(star + 1);
    const encoded = rest.endsWith('*') || rest === '';
    const index = rest === '' ? 0 : Number.parseInt(rest, 10);
    (pieces[base] ??= []).push({ index: Number.isFinite(index) ? index : 0, text: val, encoded });
  }
  const params: Record<string, string> = {};
  for (const [base, list] of Object.entries(pieces)) {
    list.sort((a, b) => a.index - b.index);
    let charset = 'utf-8';
    let text = '';
    for (const [k, p] of list.entries()) {
      let t = p.text;
      if (p.encoded && k === 0) {
        // charset'language'value
        const q1 = t.indexOf("'");
        const q2 = q1 < 0 ? -1 : t.indexOf("'", q1 + 1);
        if (q2 >= 0) {
          charset = t.slice(0, q1) || 'utf-8';
          t = t.slice(q2 + 1);
        }
      }
      text += p.encoded ? percentDecode(t, charset) : t;
    }
    params[base] = text;
  }
  for (const [k, v] of Object.entries(plain)) if (!(k in params)) params[k] = v;
  return { value, params };
}

function percentDecode(text: string, charset: string): string {
  if (text.indexOf('%') < 0) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && i + 2 < text.length && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(c & 0xff);
    }
  }
  return decodeCharset(Buffer.from(bytes), charset);
}

/**
 * windows-1252's 0x80–0x9F (curly quotes, dashes, €…). Node 20's TextDecoder decodes `windows-1252` as
 * latin1 there (U+0092 for ’), so these are mapped here; 0x81, 0x8D, 0x8F, 0x90 and 0x9D stay C1 controls.
 * ISO-8859-1 is read as windows-1252 too, as browsers (WHATWG Encoding) and mailparser do: mail labelled
 * ISO-8859-1 carries Outlook's curly quotes there, and in ISO-8859-1 proper those bytes are unused controls.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const CP1252_LABELS: ReadonlySet<string> = new Set([
  'windows-1252', 'cp1252', 'x-cp1252', 'cp-1252', 'iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'latin-1', 'l1',
]);

function decodeCp1252(bytes: Buffer): string {
  // latin1 is byte = code point; only 0x80–0x9F differ (one linear pass, and none when absent).
  // eslint-disable-next-line no-control-regex
  return bytes.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** Decode bytes in a named charset; unknown charsets fall back to UTF-8 (if valid) or latin1. Never throws. */
export function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  const cs = (charset ?? '').trim().toLowerCase();
  if (cs === '' || cs === 'utf-8' || cs === 'utf8' || cs === 'us-ascii' || cs === 'ascii') {
    return bytes.toString('utf8');
  }
  if (CP1252_LABELS.has(cs)) return decodeCp1252(bytes);
  try {
    return new TextDecoder(cs).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}
