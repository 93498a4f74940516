/**
 * Redaction of the reported message before it leaves us in a notification (docs/notifications.md,
 * "Redaction"): the tenant learns what its customer sent, never who complained or who received it.
 * Works on the bytes (latin1 round-trips every byte), so nothing but the redacted text changes.
 */

export const REDACTED_ADDRESS = 'redacted@redacted.invalid';

/** Header fields of the reported message that name its recipients: their whole value is replaced. */
const RECIPIENT_FIELDS = new Set([
  'to', 'cc', 'bcc', 'delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to', 'x-rcpt-to', 'apparently-to',
  'resent-to', 'resent-cc', 'resent-bcc', 'x-forwarded-to', 'x-forwarded-for', 'original-recipient', 'final-recipient', 'x-original-rcpt-to',
]);

/** Bounded: header values are hostile, and a backtracking pattern over them is a denial of service. */
const ADDRESS = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;
const RECEIVED_FOR = /(\bfor\s+)<?[^\s<>;@]{1,320}@[^\s<>;]{1,255}>?/gi;
const ENCODED_WORD = /=\?[^?\s]{1,40}\?[bB]\?([A-Za-z0-9+/=]{1,2000})\?=/g;
const BASE64_RUN = /(?:^[A-Za-z0-9+/]{16,}={0,2}\r?$\n?){1,20000}/gm;

export interface RedactionResult {
  /** The message with every known address replaced and the recipient fields rewritten. */
  message: Buffer;
  /** Every address that was redacted (lower case), for checks by the caller. */
  addresses: string[];
  /**
   * False when a base64 run of the message (an encoded body or attachment) contains one of the
   * addresses: such a body cannot be rewritten safely, so only the header section may be sent.
   */
  bodyIsClean: boolean;
}

function headerEnd(s: string): number {
  const m = /\r?\n\r?\n/.exec(s);
  return m ? m.index + m[0].length : s.length;
}

/** The recipient addresses the reported message itself names (To, Cc, Delivered-To, Received `for`…). */
export function recipientAddresses(raw: Buffer): string[] {
  const s = raw.toString('latin1');
  const head = s.slice(0, headerEnd(s));
  const found = new Set<string>();
  for (const field of unfold(head)) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    const name = field.slice(0, colon).trim().toLowerCase();
    const value = field.slice(colon + 1);
    if (RECIPIENT_FIELDS.has(name)) for (const m of value.matchAll(ADDRESS)) found.add(m[0].toLowerCase());
    if (name === 'received') for (const m of value.matchAll(RECEIVED_FOR)) for (const a of m[0].matchAll(ADDRESS)) found.add(a[0].toLowerCase());
  }
  return [...found];
}

function unfold(head: string): string[] {
  return head.split(/\r?\n(?![ \t])/).map((f) => f.replace(/\r?\n[ \t]+/g, ' '));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every form of an address we look for: plain, URL-encoded (`%40`) and quoted-printable (`=40`). */
function forms(address: string): RegExp[] {
  const at = address.lastIndexOf('@');
  const local = escapeRe(address.slice(0, at));
  const domain = escapeRe(address.slice(at + 1));
  return [new RegExp(`${local}(?:@|%40|=40)${domain}`, 'gi')];
}

/**
 * Redacts `known` addresses (the reporter, the recipients our rows know) and every recipient the
 * message names, everywhere in it: recipient fields are rewritten whole (display names too),
 * Received `for <…>` clauses emptied, and each address replaced wherever else it occurs (Subject,
 * body, links), also URL- and QP-encoded. Encoded-words in headers that decode to one of them are
 * replaced too. Base64 runs are decoded and checked (see `bodyIsClean`).
 */
export function redactMessage(raw: Buffer, known: readonly (string | null | undefined)[]): RedactionResult {
  const addresses = [...new Set([...known.filter((a): a is string => !!a && a.includes('@')).map((a) => a.trim().toLowerCase()), ...recipientAddresses(raw)])];
  let s = raw.toString('latin1');
  const end = headerEnd(s);
  const fields = s.slice(0, end).split(/\r?\n(?![ \t])/);
  const head = fields
    .map((field) => {
      const colon = field.indexOf(':');
      if (colon <= 0) return field;
      const name = field.slice(0, colon).trim().toLowerCase();
      if (RECIPIENT_FIELDS.has(name)) return `${field.slice(0, colon)}: ${REDACTED_ADDRESS}`;
      if (name === 'received') return field.replace(RECEIVED_FOR, `$1<${REDACTED_ADDRESS}>`);
      return field;
    })
    .join('\r\n');
  s = head + s.slice(end);
  for (const a of addresses) for (const re of forms(a)) s = s.replace(re, REDACTED_ADDRESS);
  const lowered = addresses.map((a) => a.toLowerCase());
  const mentions = (text: string) => {
    const t = text.toLowerCase();
    return lowered.some((a) => t.includes(a));
  };
  s = s.replace(ENCODED_WORD, (word: string, b64: string) => (mentions(Buffer.from(b64, 'base64').toString('latin1')) ? '[redacted]' : word));
  let bodyIsClean = true;
  for (const m of s.matchAll(BASE64_RUN)) {
    if (mentions(Buffer.from(m[0].replace(/\s+/g, ''), 'base64').toString('latin1'))) {
      bodyIsClean = false;
      break;
    }
  }
  return { message: Buffer.from(s, 'latin1'), addresses, bodyIsClean };
}

/** The header section of a message (up to and including the blank line). */
export function headerSection(raw: Buffer): Buffer {
  const s = raw.toString('latin1');
  return Buffer.from(s.slice(0, headerEnd(s)), 'latin1');
}
