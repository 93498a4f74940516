import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import { firstAddress } from '../../../shared/analysis/attribute/addresses.ts';
import { bodyText, firstBodyText } from '../../../shared/analysis/message/body-text.ts';
import { attachedParts } from '../../../shared/analysis/message/forwards.ts';
import { headerValue, readHeaderSection } from '../../../shared/analysis/message/header-section.ts';
import { resolveLimits } from '../../../shared/analysis/message/limits.ts';
import { dateOf, messageIdOf, subjectOf } from '../../../shared/analysis/message/message-fields.ts';
import { attachedMessageBytes, isBodyPart, readMessage, type ReadMessage } from '../../../shared/analysis/message/message-reader.ts';
import type { MimePart } from '../../../shared/analysis/message/mime-tree.ts';

/**
 * One message as the analysis core reads it and as mailparser's simpleParser reads it, in the same shape,
 * for the differential test. Only the fields both speak about: Subject, the first From address,
 * Message-ID, Date, the body text, and the attached messages (each by its Message-ID and Subject).
 */
export interface View {
  subject: string | null;
  from: string | null;
  messageId: string | null;
  date: string | null;
  /** mailparser's `text`: every inline text part joined with LF ('' for a standalone HTML part). */
  text: string | null;
  attached: string[];
}
export type Field = keyof View;
export const FIELDS: readonly Field[] = ['subject', 'from', 'messageId', 'date', 'text', 'attached'];

/**
 * simpleParser's lightest options, plus `ignoreEmbedded`: without it an attached message that says
 * `Content-Disposition: inline` is merged into the outer message's text instead of listed, and there is
 * no attached message to compare; and a header size limit the mutations stay under (mailparser's 1 MB
 * default counts each line as at least 64 bytes and refuses the 10,000-line mutation outright).
 */
const OPTIONS = { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true, ignoreEmbedded: true, maxHeadSize: 16 * 1024 * 1024 };
const ATTACHED_TYPES = new Set(['message/rfc822', 'message/global', 'text/rfc822-headers']);
/** The local part as written, the domain lower-cased: how the core keeps an address. */
const normalAddress = (a: string | undefined) => (a ? a.replace(/@([^@]*)$/, (_, d: string) => `@${d.toLowerCase()}`) : null);

function firstMailbox(from: AddressObject | undefined): string | null {
  const walk = (list: EmailAddress[]): string | undefined => {
    for (const a of list) {
      if (a.address) return a.address;
      const inGroup = a.group ? walk(a.group) : undefined;
      if (inGroup) return inGroup;
    }
    return undefined;
  };
  return normalAddress(from ? walk(from.value) : undefined);
}

/** The date mailparser read, or null where it read none: it stands in the time of parsing for an unreadable Date. */
function mailparserDate(date: Date | undefined, headerLines: readonly { key: string; line: string }[]): string | null {
  const line = headerLines.find((h) => h.key === 'date')?.line;
  if (!date || line === undefined) return null;
  const raw = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
  return Number.isNaN(new Date(raw).getTime()) ? null : date.toISOString();
}

export async function mailparserView(raw: Buffer): Promise<View> {
  const p = await simpleParser(raw, OPTIONS);
  const attached: string[] = [];
  for (const a of p.attachments) {
    if (!ATTACHED_TYPES.has(a.contentType)) continue;
    const inner = await simpleParser(a.content, OPTIONS);
    attached.push(`${inner.messageId ?? '-'} ${inner.subject ?? '-'}`);
  }
  return {
    subject: p.subject ?? null,
    from: firstMailbox(p.from),
    messageId: p.messageId ?? null,
    date: mailparserDate(p.date, p.headerLines),
    text: p.text ?? null,
    attached,
  };
}

/** Is any ancestor of `parts[i]` a multipart/alternative? */
function inAlternative(parts: readonly MimePart[], i: number): boolean {
  for (let k = parts[i]!.parent; k >= 0; k = parts[k]!.parent) if (parts[k]!.contentType === 'multipart/alternative') return true;
  return false;
}

/**
 * Our parts joined the way mailparser joins its text (mail-parser.js getTextContent, with skipHtmlToText):
 * each non-empty inline text/plain or delivery-status part, and '' for a non-empty HTML part outside an
 * alternative when there is text (or for an HTML message with none).
 */
function joinedText(msg: ReadMessage): string | null {
  const isText = (p: MimePart) => isBodyPart(p) && (p.contentType === 'text/plain' || p.contentType === 'message/delivery-status');
  const hasText = msg.parts.some(isText);
  const out: string[] = [];
  msg.parts.forEach((p, i) => {
    if (isText(p)) {
      const text = bodyText(p, Infinity);
      if (text !== '') out.push(text);
    } else if (p.contentType === 'text/html' && isBodyPart(p) && bodyText(p, Infinity) !== '') {
      if ((!inAlternative(msg.parts, i) && hasText) || (i === 0 && !hasText)) out.push('');
    }
  });
  return out.length ? out.join('\n') : null;
}

export function coreView(raw: Buffer): View {
  const ctx = { limits: resolveLimits(), budget: { parts: 0, truncated: [] as string[] } };
  const msg = readMessage(raw, 0, ctx, 'message');
  const attached = attachedParts(msg).map((part) => {
    const headers = readHeaderSection(attachedMessageBytes(part), ctx.limits).headers;
    return `${messageIdOf(headers) ?? '-'} ${subjectOf(headers) ?? '-'}`;
  });
  return {
    subject: subjectOf(msg.headers),
    from: firstAddress(headerValue(msg.headers, 'from')),
    messageId: messageIdOf(msg.headers),
    date: dateOf(msg.headers),
    text: joinedText(msg),
    attached,
  };
}

/** The core's own accessor for the body text: it must give the first text/plain part of `joinedText`. */
export function coreFirstText(raw: Buffer): string | null {
  return firstBodyText(raw, { maxBytes: Infinity });
}
