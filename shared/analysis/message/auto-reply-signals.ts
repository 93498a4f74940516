import { headerValue } from './header-section.ts';
import { normalSubject } from './dsn-signals.ts';
import type { HeaderField } from './types.ts';

/** Subject starts of vacation / out-of-office replies (lower-case, after `[tags]`). */
const AUTO_SUBJECT_STARTS = [
  'automatic reply',
  'auto reply',
  'auto-reply',
  'autoreply',
  'autoresponse',
  'auto response',
  'auto-response',
  'autorespons',
  'out of office',
  'out of the office',
  'away until',
  'on vacation',
  'vacation reply',
  'abwesenheitsnotiz',
  'automatische antwort',
  'réponse automatique',
  'risposta automatica',
  'respuesta automática',
  'automatisch antwoord',
  'resposta automática',
  'automatisk svar',
  '自動応答',
  '自动回复',
];

export interface AutoReplySignal {
  /** Why this is an auto-reply. */
  reason: string;
  /**
   * Strong signals are only sent by responders (RFC 3834 `auto-replied`, vacation subjects,
   * X-Autoreply): they win over a forward structure. Weak ones (`auto-generated`,
   * X-Auto-Response-Suppress) are also set by FBL / X-ARF report generators and some clients.
   */
  strong: boolean;
}

/**
 * Is this message an automatic *reply* (RFC 3834 and the usual vendor headers)? `subject` is decoded.
 *
 * Machine-generated is not the same as a reply to us: notification services (shared documents,
 * e-signatures, voicemail) mark their mail `Auto-Submitted: auto-generated` / `X-Auto-Response-Suppress`,
 * and phishing sent through them carries those marks to our intake too. Only `auto-replied`, the
 * responder headers and vacation subjects say "reply" by themselves; a weak mark counts only on a message
 * that answers someone else's (In-Reply-To or References naming an id its own system did not mint: a
 * ticket system acknowledging mail we sent).
 */
export function autoReplySignal(headers: HeaderField[], subject: string | null): AutoReplySignal | null {
  const autoSubmitted = headerValue(headers, 'auto-submitted');
  const as = (autoSubmitted ?? '').trim().toLowerCase();
  if (as.startsWith('auto-replied')) return { reason: `Auto-Submitted: ${as.slice(0, 60)}`, strong: true };
  if (headerValue(headers, 'x-autoreply') !== null) return { reason: 'X-Autoreply header', strong: true };
  if (headerValue(headers, 'x-autorespond') !== null) return { reason: 'X-Autorespond header', strong: true };
  const precedence = (headerValue(headers, 'precedence') ?? '').trim().toLowerCase();
  if (precedence === 'auto_reply' || precedence === 'auto-reply') return { reason: `Precedence: ${precedence}`, strong: true };
  const s = normalSubject(subject);
  const hit = AUTO_SUBJECT_STARTS.find((p) => s.startsWith(p));
  if (hit) return { reason: `vacation / auto-reply subject ("${hit}")`, strong: true };
  const answers = replyHeader(headers);
  if (answers === null) return null;
  // `auto-forwarded` (some redirect rules) is not RFC 3834: a redirected spam is still the spam.
  if (as && as !== 'no' && !as.startsWith('auto-forwarded')) return { reason: `Auto-Submitted: ${as.slice(0, 60)} on a reply (${answers})`, strong: false };
  const suppress = headerValue(headers, 'x-auto-response-suppress');
  if (suppress !== null) return { reason: `X-Auto-Response-Suppress: ${suppress.slice(0, 60)} on a reply (${answers})`, strong: false };
  return null;
}

/**
 * The header that makes this message an answer to someone else's message, or null. A message whose every
 * referenced id was minted by its own system (its From or Message-ID domain, or a parent or child of one)
 * continues its own thread, it answers nothing we sent: help-desk and notification services thread their
 * own mails, and phishing sent through them arrives as `Auto-Submitted: auto-generated` with
 * `In-Reply-To: <ticket@zendesk.com>` from `support@x.zendesk.com` (seen in real phishing).
 */
function replyHeader(headers: HeaderField[]): string | null {
  const inReplyTo = (headerValue(headers, 'in-reply-to') ?? '').trim();
  const references = (headerValue(headers, 'references') ?? '').trim();
  if (inReplyTo === '' && references === '') return null;
  const own = [addressDomain(headerValue(headers, 'from')), idDomain(headerValue(headers, 'message-id') ?? '')].filter((d): d is string => d !== null);
  const referenced = referencedDomains(`${inReplyTo} ${references}`);
  if (own.length > 0 && referenced.length > 0 && referenced.every((d) => own.some((o) => sameSystem(d, o)))) return null;
  return inReplyTo !== '' ? 'In-Reply-To' : 'References';
}

/** At most this many referenced ids are looked at (References can list a whole thread). */
const MAX_REFERENCED = 50;

/** The domains of the `<local@domain>` ids in a header value; an id without a domain gives '' (matches nothing). */
function referencedDomains(value: string): string[] {
  const out: string[] = [];
  let at = value.indexOf('<');
  while (at >= 0 && out.length < MAX_REFERENCED) {
    const close = value.indexOf('>', at + 1);
    if (close < 0) break;
    out.push(idDomain(value.slice(at, close + 1)) ?? '');
    at = value.indexOf('<', close + 1);
  }
  return out;
}

/** `<local@Domain.Example.>` → `domain.example`, or null. */
function idDomain(id: string): string | null {
  const close = id.lastIndexOf('>');
  const end = close >= 0 ? close : id.length;
  const at = id.lastIndexOf('@', end);
  if (at < 0) return null;
  return cleanDomain(id.slice(at + 1, end));
}

/** The domain of the first address in a From value (`Name <a@b.example>` or `a@b.example`), or null. */
function addressDomain(value: string | null): string | null {
  if (!value) return null;
  const open = value.indexOf('<');
  const close = open >= 0 ? value.indexOf('>', open) : -1;
  const addr = open >= 0 && close > open ? value.slice(open + 1, close) : value;
  const at = addr.lastIndexOf('@');
  return at < 0 ? null : cleanDomain(addr.slice(at + 1));
}

function cleanDomain(s: string): string | null {
  let d = s.trim().toLowerCase();
  while (d.endsWith('.')) d = d.slice(0, -1);
  return d.includes('.') ? d : null;
}

/** One domain is the other or a subdomain of it (`x.zendesk.com` and `zendesk.com`); never a bare TLD. */
function sameSystem(a: string, b: string): boolean {
  return a !== '' && (a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`));
}
