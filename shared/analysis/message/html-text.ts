/** Tags after which a line ends in the text we search (block elements and line breaks). */
const LINE_TAGS = new Set(['br', 'p', '/p', 'div', '/div', 'tr', '/tr', 'li', 'hr', 'blockquote', '/blockquote', 'h1', 'h2', 'h3', '/h1', '/h2', '/h3', 'table', '/table']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * HTML → plain text, only to search an HTML-only body for inline forward blocks. One forward pass
 * with indexOf (no regex over the document, no DOM); the result is never rendered anywhere.
 */
export function htmlToText(html: string): string {
  let out = '';
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) out += decodeEntities(html.slice(i, textEnd).replace(/[\r\n]+/g, ' '));
    if (lt < 0) break;
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) break;
    let k = lt + 1;
    while (k < gt && html[k] !== ' ' && html[k] !== '>' && html[k] !== '/') k++;
    const closing = html[lt + 1] === '/';
    let name = html.slice(lt + 1, k).toLowerCase();
    if (closing) {
      let e = lt + 2;
      while (e < gt && html[e] !== ' ' && html[e] !== '>') e++;
      name = `/${html.slice(lt + 2, e).toLowerCase()}`;
    }
    if (name === 'style' || name === 'script' || name === 'head') {
      const end = closingTag(html, name, gt);
      i = end < 0 ? n : html.indexOf('>', end) + 1 || n;
      continue;
    }
    if (LINE_TAGS.has(name)) out += '\n';
    i = gt + 1;
  }
  return out;
}

/** Offset of `</name` (any case) from `pos`, or -1; one forward scan. */
function closingTag(html: string, name: string, pos: number): number {
  let at = html.indexOf('</', pos);
  while (at >= 0) {
    if (html.slice(at + 2, at + 2 + name.length).toLowerCase() === name) return at;
    at = html.indexOf('</', at + 2);
  }
  return -1;
}

function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const amp = s.indexOf('&', i);
    if (amp < 0) break;
    out += s.slice(i, amp);
    const semi = s.indexOf(';', amp);
    if (semi < 0 || semi - amp > 10) {
      out += '&';
      i = amp + 1;
      continue;
    }
    const ent = s.slice(amp + 1, semi);
    let rep: string | undefined = ENTITIES[ent.toLowerCase()];
    if (ent.startsWith('#')) {
      const code = ent[1] === 'x' || ent[1] === 'X' ? Number.parseInt(ent.slice(2), 16) : Number.parseInt(ent.slice(1), 10);
      rep = Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : undefined;
    }
    out += rep ?? s.slice(amp, semi + 1);
    i = semi + 1;
  }
  return out + s.slice(i);
}
