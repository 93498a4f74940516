import { LinkifyIt } from 'linkify-it';
import { parse } from 'tldts';

/**
 * URLs in a reported body and their registrable domains. linkify-it finds the links in the text
 * (schemes and bare `www.x.com` / `bit.ly/x` forms), HTML links come from their href attributes,
 * and tldts names the registrable domain from the Public Suffix List — private suffixes included,
 * so `a.blogspot.com` and `b.blogspot.com` are different owners. No public-suffix logic of our own.
 * Nothing here fetches or resolves anything.
 */

/** Distinct domains kept per message (a newsletter-sized spam may link dozens of hosts). */
export const MAX_DOMAINS = 20;
/** href attributes read per HTML body. */
const MAX_HREFS = 500;
/** The token an IP-literal link becomes in the text (its address varies per copy as well). */
export const IP_LINK = 'ip';

const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: false, fuzzyIP: true });

/** The registrable domain of a URL's host ('ip' for an address literal), or null when it has none. */
export function registrableDomain(url: string): string | null {
  const p = parse(url.slice(0, 2048), { allowPrivateDomains: true });
  if (p.isIp) return IP_LINK;
  return p.domain ? p.domain.toLowerCase() : null;
}

/** Could this blank-free chunk hold a link? Cheap tests first; linkify decides. */
function mayBeLink(chunk: string): boolean {
  if (chunk.length < 4 || chunk.length > 4096) return false;
  if (chunk.includes('://') || chunk.includes('www.')) return true;
  return LETTER_DOT_LETTER.test(chunk);
}
const LETTER_DOT_LETTER = /[\p{L}\p{N}]\.[\p{L}]/u;

/**
 * The text with each link replaced by ` u:<registrable domain> `, and the domains in order of
 * appearance. linkify runs on the blank-separated chunks that may hold a link, not over the whole
 * prose: its fuzzy (scheme-less) search is the costly part, and links never contain blanks.
 */
export function replaceLinks(text: string): { text: string; domains: string[] } {
  const domains = new Set<string>();
  let out = '';
  let pos = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    const start = i;
    while (i < n && !isBlank(text.charCodeAt(i))) i++;
    if (i === start) break;
    const chunk = text.slice(start, i);
    if (!mayBeLink(chunk)) continue;
    for (const l of linkify.match(chunk) ?? []) {
      if (l.schema === 'mailto:') continue;
      const d = registrableDomain(l.url);
      if (d && d !== IP_LINK && domains.size < MAX_DOMAINS) domains.add(d);
      out += `${text.slice(pos, start + l.index)} u:${d ?? IP_LINK} `;
      pos = start + l.lastIndex;
    }
  }
  return { text: out + text.slice(pos), domains: [...domains] };
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xa0 || c === 0x0c;
}

const HREF = /\bhref\s*=\s*["']?([^"'\s>]{1,2048})/gi;

/** Registrable domains of an HTML body's href links (http, https and scheme-less), in document order. */
export function hrefDomains(html: string): string[] {
  const domains = new Set<string>();
  let n = 0;
  for (const m of html.matchAll(HREF)) {
    if (++n > MAX_HREFS || domains.size >= MAX_DOMAINS) break;
    const url = m[1]!;
    const lower = url.slice(0, 8).toLowerCase();
    if (!(lower.startsWith('http:') || lower.startsWith('https:') || lower.startsWith('//') || lower.startsWith('www.'))) continue;
    const d = registrableDomain(url.startsWith('//') ? `http:${url}` : url);
    if (d && d !== IP_LINK) domains.add(d);
  }
  return [...domains];
}
