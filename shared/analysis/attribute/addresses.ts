/**
 * Just enough address reading for attribution: the first mailbox of a From / Return-Path / Sender
 * value and its domain. Index scans rather than one clever regex: header values are hostile and a
 * backtracking pattern over a 100 kB value is a denial of service.
 */

const MAX_ADDRESS = 320;

/** The first `local@domain` in a header value (`"Name" <a@b>`, `a@b (Name)`, `<a@b>`), lower-cased domain. */
export function firstAddress(value: string | null | undefined): string | null {
  if (!value) return null;
  const lt = value.indexOf('<');
  if (lt >= 0) {
    const gt = value.indexOf('>', lt + 1);
    const inside = value.slice(lt + 1, gt < 0 ? undefined : gt).trim();
    const found = bareAddress(inside);
    if (found) return found;
  }
  // No angle brackets: the first blank-separated token that has an @ (quoted display names aside).
  for (const token of value.replace(/"[^"]*"/g, ' ').replace(/\([^()]*\)/g, ' ').split(/[\s,;<>]+/)) {
    const found = bareAddress(token);
    if (found) return found;
  }
  return null;
}

function bareAddress(s: string): string | null {
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1 || s.length > MAX_ADDRESS) return null;
  const domain = domainOf(s);
  return domain ? `${s.slice(0, at)}@${domain}` : null;
}

/** The domain of an address (after the last @), lower-case, trailing dot and brackets removed; null if not a name. */
export function domainOf(address: string | null | undefined): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  const d = address.slice(at + 1).trim().toLowerCase().replace(/[>\].]+$/, '');
  return /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(d) && d.length <= 253 ? d : null;
}

/** `a.b.contoso.com` → [`a.b.contoso.com`, `b.contoso.com`, `contoso.com`]: tenant domains cover their subdomains. */
export function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  const out: string[] = [];
  for (let i = 0; i < labels.length - 1 && out.length < 10; i++) out.push(labels.slice(i).join('.'));
  return out;
}
