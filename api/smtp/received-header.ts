/** What we know about an SMTP transaction when we stamp it. */
export interface TraceInfo {
  clientIp: string;
  /** The HELO/EHLO argument as the client sent it (untrusted). */
  helo: string | null;
  ourHost: string;
  /** ESMTP, ESMTPS… (RFC 3848). */
  protocol: string;
  id: string;
  /** Only with a single recipient: RFC 5321 §7.2 warns that listing several leaks Bcc. */
  recipient: string | null;
  date: Date;
}

/**
 * Our RFC 5321 §4.4 trace header, `Received: from HELO ([IP]) by US with ESMTP id ID for <rcpt>; DATE`,
 * CRLF-terminated and folded. The attribution walk starts from this hop, so the client IP is the
 * one the socket saw (bracketed) and the HELO — which the client chooses — is reduced to
 * characters that cannot break a Received parser (no `(`, `)`, `;`, `[`, spaces).
 */
export function receivedHeader(t: TraceInfo): string {
  const helo = t.helo ? t.helo.replace(/[^A-Za-z0-9.:_-]/g, '_').slice(0, 255) || 'unknown' : 'unknown';
  const literal = t.clientIp.includes(':') ? `[IPv6:${t.clientIp}]` : `[${t.clientIp}]`;
  const forClause = t.recipient && /^[^\s<>();]+$/.test(t.recipient) ? `\r\n\tfor <${t.recipient}>` : '';
  const protocol = /^[A-Z]{1,12}$/.test(t.protocol) ? t.protocol : 'ESMTP';
  return `Received: from ${helo} (${literal})\r\n\tby ${t.ourHost} with ${protocol} id ${t.id}${forClause};\r\n\t${rfc5322Date(t.date)}\r\n`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Fri, 27 Nov 2026 12:53:23 +0000` (RFC 5322 §3.3; `toUTCString` gives the obsolete `GMT`). */
export function rfc5322Date(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
