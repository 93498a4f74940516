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
 * that answers another (In-Reply-To or References: a ticket system acknowledging mail we sent).
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

/** The header that makes this message an answer to another one, or null. */
function replyHeader(headers: HeaderField[]): string | null {
  if ((headerValue(headers, 'in-reply-to') ?? '').trim() !== '') return 'In-Reply-To';
  if ((headerValue(headers, 'references') ?? '').trim() !== '') return 'References';
  return null;
}
